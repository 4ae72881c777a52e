from __future__ import annotations

from fastapi import APIRouter, Response

from gofer.api.auth import AdminOnly, Caller, InNamespace
from gofer.api.deps import Service
from gofer_sdk.models import NamespaceCreate, NamespacePublic, NamespaceUpdate

router = APIRouter(prefix="/namespaces", tags=["namespaces"])


@router.post("", status_code=201, dependencies=AdminOnly)
def create_namespace(body: NamespaceCreate, service: Service) -> NamespacePublic:
    return service.namespaces.create(body)


@router.get("")
def list_namespaces(service: Service, caller: Caller) -> list[NamespacePublic]:
    """The namespaces the caller's token reaches."""
    return [namespace for namespace in service.namespaces.all() if caller.reaches(namespace.id)]


@router.get("/{namespace}", dependencies=InNamespace)
def get_namespace(namespace: str, service: Service) -> NamespacePublic:
    return service.namespaces.get(namespace)


@router.patch("/{namespace}", dependencies=AdminOnly)
def update_namespace(namespace: str, body: NamespaceUpdate, service: Service) -> NamespacePublic:
    return service.namespaces.update(namespace, body)


@router.delete("/{namespace}", status_code=204, dependencies=AdminOnly)
def delete_namespace(namespace: str, service: Service) -> Response:
    """Delete an empty namespace (`default` cannot be deleted)."""
    service.namespaces.delete(namespace)
    return Response(status_code=204)
