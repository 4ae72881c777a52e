"""Persistence: the read model of pipelines, runs and task runs (SQLAlchemy 2)."""
