"""Gofer SDK: pipeline config models and builder, and the typed REST client."""

from gofer_sdk.config import Pipeline, RequiredParentStatus, Task
from gofer_sdk.errors import ApiError, ConfigError, ConnectError, GoferError
from gofer_sdk.loader import load_pipeline_file, validate_pipeline

__all__ = [
    "ApiError",
    "ConfigError",
    "ConnectError",
    "GoferError",
    "Pipeline",
    "RequiredParentStatus",
    "Task",
    "load_pipeline_file",
    "validate_pipeline",
]
