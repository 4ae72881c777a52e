"""Temporal workflows. Deterministic: no I/O, no clocks, no randomness (tests enforce the imports)."""
