from __future__ import annotations

from fastapi import APIRouter, Request

from gofer import __version__
from gofer.api.auth import AdminOnly, Authenticated
from gofer.api.deps import Service
from gofer_sdk.models import Health, RunIntake, SystemPublic

router = APIRouter(tags=["system"])


@router.get("/health")
def health() -> Health:
    return Health(ok=True, version=__version__)


@router.get("/system", dependencies=Authenticated)
def get_system(service: Service, request: Request) -> SystemPublic:
    return SystemPublic(
        version=__version__,
        run_intake=service.system.run_intake(),
        global_parallelism=request.app.state.settings.global_parallelism,
    )


@router.put("/system/run-intake", dependencies=AdminOnly)
def set_run_intake(body: RunIntake, service: Service) -> RunIntake:
    """The kill switch: pause stops every new run from starting (stored; survives restarts)."""
    return service.system.set_run_intake(body)
