from __future__ import annotations

from fastapi import APIRouter

from gofer import __version__
from gofer_sdk.models import Health

router = APIRouter(tags=["system"])


@router.get("/health")
def health() -> Health:
    return Health(ok=True, version=__version__)
