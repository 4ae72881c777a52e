"""The `gofer` command: presentation over gofer_sdk's REST client (plus the process commands)."""
