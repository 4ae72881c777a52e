"""Pipeline and run objects: bytes of any size, streamed in and out."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import FileResponse

from gofer.api.auth import InPipeline
from gofer.api.deps import Service
from gofer.api.params import RunId
from gofer.models import RunKey
from gofer.store.objects import ObjectRef, ObjectScope, ObjectStore
from gofer_sdk.models import OBJECT_KEY_PATTERN, ObjectPublic

router = APIRouter(
    prefix="/namespaces/{namespace}/pipelines/{pipeline_id}", tags=["objects"], dependencies=InPipeline
)

Key = Annotated[str, Path(pattern=OBJECT_KEY_PATTERN, description="Letters, digits, '_', '.', '-'.")]


@router.put("/objects/{key}")
async def put_pipeline_object(
    namespace: str, pipeline_id: str, key: Key, request: Request, service: Service
) -> ObjectPublic:
    """Store the request body as a pipeline object, kept across runs (the oldest go past the limit)."""
    return await _upload(service.objects, ObjectRef.of_pipeline(namespace, pipeline_id, key), request)


@router.get("/objects")
def list_pipeline_objects(namespace: str, pipeline_id: str, service: Service) -> list[ObjectPublic]:
    service.pipelines.get(namespace, pipeline_id)
    return service.objects.list(ObjectScope.PIPELINE, namespace, pipeline_id)


@router.get("/objects/{key}", response_class=FileResponse)
def get_pipeline_object(namespace: str, pipeline_id: str, key: Key, service: Service) -> FileResponse:
    path = service.objects.open(ObjectRef.of_pipeline(namespace, pipeline_id, key))
    return FileResponse(path, media_type="application/octet-stream")


@router.delete("/objects/{key}", status_code=204)
def delete_pipeline_object(namespace: str, pipeline_id: str, key: Key, service: Service) -> Response:
    service.objects.delete(ObjectRef.of_pipeline(namespace, pipeline_id, key))
    return Response(status_code=204)


@router.put("/runs/{run_id}/objects/{key}")
async def put_run_object(
    namespace: str, pipeline_id: str, run_id: RunId, key: Key, request: Request, service: Service
) -> ObjectPublic:
    """Store the request body as an object of this run (it expires some runs later)."""
    ref = ObjectRef.of_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id), key)
    return await _upload(service.objects, ref, request)


@router.get("/runs/{run_id}/objects")
def list_run_objects(namespace: str, pipeline_id: str, run_id: RunId, service: Service) -> list[ObjectPublic]:
    service.runs.get(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))
    return service.objects.list(ObjectScope.RUN, namespace, pipeline_id, run_id)


@router.get("/runs/{run_id}/objects/{key}", response_class=FileResponse)
def get_run_object(
    namespace: str, pipeline_id: str, run_id: RunId, key: Key, service: Service
) -> FileResponse:
    ref = ObjectRef.of_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id), key)
    return FileResponse(service.objects.open(ref), media_type="application/octet-stream")


@router.delete("/runs/{run_id}/objects/{key}", status_code=204)
def delete_run_object(
    namespace: str, pipeline_id: str, run_id: RunId, key: Key, service: Service
) -> Response:
    service.objects.delete(
        ObjectRef.of_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id), key)
    )
    return Response(status_code=204)


async def _upload(objects: ObjectStore, ref: ObjectRef, request: Request) -> ObjectPublic:
    fd, upload = await asyncio.to_thread(objects.upload_file, ref)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in request.stream():
                await asyncio.to_thread(out.write, chunk)
        return await asyncio.to_thread(objects.commit, ref, upload)
    finally:
        if os.path.exists(upload):  # left behind only when the upload failed
            os.unlink(upload)
