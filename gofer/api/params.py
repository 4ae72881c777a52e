"""Path parameters shared by the routers, bounded so that no input reaches the store unchecked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**31 - 1  # the store's integer columns

RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="Run number within the pipeline.")]
Version = Annotated[int, Path(ge=1, le=MAX_ID, description="Config version number.")]
