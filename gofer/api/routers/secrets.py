"""Pipeline and global secrets. Values go in; they come out only with `reveal=true`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from gofer.api.auth import AdminOnly, InNamespace
from gofer.api.deps import Service
from gofer.store.secrets import Scope
from gofer_sdk.models import SECRET_KEY_PATTERN, SecretPublic, SecretPut

router = APIRouter(tags=["secrets"])

Key = Annotated[str, Path(pattern=SECRET_KEY_PATTERN, description="Letters, digits, '_', '.', '-'.")]
Reveal = Annotated[bool, Query(description="Include the value (it is never shown otherwise).")]
PIPELINE = "/namespaces/{namespace}/pipelines/{pipeline_id}/secrets"


@router.get(PIPELINE, dependencies=InNamespace)
def list_pipeline_secrets(namespace: str, pipeline_id: str, service: Service) -> list[SecretPublic]:
    return service.secrets.list(Scope.PIPELINE, namespace=namespace, pipeline=pipeline_id)


@router.put(PIPELINE + "/{key}", dependencies=InNamespace)
def put_pipeline_secret(
    namespace: str, pipeline_id: str, key: Key, body: SecretPut, service: Service
) -> SecretPublic:
    """Store (or replace) a secret that runs of this pipeline can use as `pipeline_secret{{key}}`."""
    return service.secrets.put(Scope.PIPELINE, key, body.value, namespace=namespace, pipeline=pipeline_id)


@router.get(PIPELINE + "/{key}", dependencies=InNamespace)
def get_pipeline_secret(
    namespace: str, pipeline_id: str, key: Key, service: Service, reveal: Reveal = False
) -> SecretPublic:
    return service.secrets.get(Scope.PIPELINE, key, namespace=namespace, pipeline=pipeline_id, reveal=reveal)


@router.delete(PIPELINE + "/{key}", status_code=204, dependencies=InNamespace)
def delete_pipeline_secret(namespace: str, pipeline_id: str, key: Key, service: Service) -> Response:
    service.secrets.delete(Scope.PIPELINE, key, namespace=namespace, pipeline=pipeline_id)
    return Response(status_code=204)


@router.get("/secrets", dependencies=AdminOnly)
def list_global_secrets(service: Service) -> list[SecretPublic]:
    return service.secrets.list(Scope.GLOBAL)


@router.put("/secrets/{key}", dependencies=AdminOnly)
def put_global_secret(key: Key, body: SecretPut, service: Service) -> SecretPublic:
    """Store (or replace) a secret usable as `global_secret{{key}}` in the namespaces matching
    `namespaces` (glob patterns such as `team-*`)."""
    return service.secrets.put(Scope.GLOBAL, key, body.value, namespaces=body.namespaces)


@router.get("/secrets/{key}", dependencies=AdminOnly)
def get_global_secret(key: Key, service: Service, reveal: Reveal = False) -> SecretPublic:
    return service.secrets.get(Scope.GLOBAL, key, reveal=reveal)


@router.delete("/secrets/{key}", status_code=204, dependencies=AdminOnly)
def delete_global_secret(key: Key, service: Service) -> Response:
    service.secrets.delete(Scope.GLOBAL, key)
    return Response(status_code=204)
