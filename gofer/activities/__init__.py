"""Temporal activities: all I/O a run does (containers, logs, store)."""
