"""A typed client for the Gofer REST API.

from gofer_sdk.client import GoferClient

with GoferClient("http://127.0.0.1:8080") as gofer:
    run = gofer.start_run("diamond", variables={"GREETING": "hi"})
    print(gofer.get_run("diamond", run.id).status)
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ApiError, ConnectError
from gofer_sdk.models import DeployResult, Health, PipelinePublic, RunCreate, RunPublic

DEFAULT_HOST = "http://127.0.0.1:8080"
DEFAULT_NAMESPACE = "default"

Model = TypeVar("Model", bound=BaseModel)


class GoferClient:
    """Talks to one Gofer API.

    Args:
        host: base URL of the API, e.g. ``http://127.0.0.1:8080``.
        namespace: namespace used when a call does not name one.
        token: bearer token sent with every request, if any.
        transport: an httpx transport; tests pass one that serves the app in-process.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        *,
        namespace: str = DEFAULT_NAMESPACE,
        token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.namespace = namespace
        self._http = httpx.Client(
            base_url=host.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )

    def __enter__(self) -> GoferClient:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying connections."""
        self._http.close()

    def health(self) -> Health:
        """Return the API's health and version."""
        return self._call("GET", "/api/health", Health)

    def deploy(self, pipeline: Pipeline, *, namespace: str | None = None) -> DeployResult:
        """Register ``pipeline`` as a new config version and make it live."""
        body = pipeline.model_dump(mode="json")
        return self._call("POST", f"{self._ns(namespace)}/pipelines", DeployResult, json=body)

    def get_pipeline(self, pipeline_id: str, *, namespace: str | None = None) -> PipelinePublic:
        """Return one pipeline with its live config."""
        return self._call("GET", f"{self._ns(namespace)}/pipelines/{pipeline_id}", PipelinePublic)

    def list_pipelines(self, *, namespace: str | None = None) -> list[PipelinePublic]:
        """Return every pipeline in the namespace."""
        return self._call_list("GET", f"{self._ns(namespace)}/pipelines", PipelinePublic)

    def start_run(
        self, pipeline_id: str, *, variables: dict[str, str] | None = None, namespace: str | None = None
    ) -> RunPublic:
        """Start a run of the pipeline's live config with the given run variables."""
        body = RunCreate(variables=variables or {}).model_dump()
        return self._call("POST", f"{self._runs(pipeline_id, namespace)}", RunPublic, json=body)

    def get_run(self, pipeline_id: str, run_id: int, *, namespace: str | None = None) -> RunPublic:
        """Return one run with its task runs."""
        return self._call("GET", f"{self._runs(pipeline_id, namespace)}/{run_id}", RunPublic)

    def list_runs(self, pipeline_id: str, *, namespace: str | None = None) -> list[RunPublic]:
        """Return the pipeline's runs, newest first."""
        return self._call_list("GET", self._runs(pipeline_id, namespace), RunPublic)

    def cancel_run(self, pipeline_id: str, run_id: int, *, namespace: str | None = None) -> RunPublic:
        """Ask a run to stop: running containers get SIGTERM, then SIGKILL."""
        return self._call("POST", f"{self._runs(pipeline_id, namespace)}/{run_id}/cancel", RunPublic)

    def task_logs(
        self,
        pipeline_id: str,
        run_id: int,
        task_id: str,
        *,
        follow: bool = False,
        namespace: str | None = None,
    ) -> Iterator[bytes]:
        """Yield a task's log as raw bytes; with ``follow`` keep yielding until the task ends."""
        path = f"{self._runs(pipeline_id, namespace)}/{run_id}/tasks/{task_id}/logs"
        params = {"follow": "true"} if follow else {}
        timeout = httpx.Timeout(self._http.timeout.connect, read=None) if follow else None
        try:
            with self._http.stream("GET", path, params=params, timeout=timeout) as response:
                if response.is_error:
                    response.read()
                    raise _api_error(response)
                yield from response.iter_bytes()
        except httpx.TransportError as exc:
            raise ConnectError(f"cannot reach Gofer at {self._http.base_url}: {exc}") from exc

    def _ns(self, namespace: str | None) -> str:
        return f"/api/namespaces/{namespace or self.namespace}"

    def _runs(self, pipeline_id: str, namespace: str | None) -> str:
        return f"{self._ns(namespace)}/pipelines/{pipeline_id}/runs"

    def _call(self, method: str, path: str, model: type[Model], **kwargs: Any) -> Model:
        return model.model_validate(self._request(method, path, **kwargs))

    def _call_list(self, method: str, path: str, model: type[Model], **kwargs: Any) -> list[Model]:
        return TypeAdapter(list[model]).validate_python(self._request(method, path, **kwargs))  # type: ignore[valid-type]

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ConnectError(f"cannot reach Gofer at {self._http.base_url}: {exc}") from exc
        if response.is_error:
            raise _api_error(response)
        return response.json()


def _api_error(response: httpx.Response) -> ApiError:
    try:
        error = response.json()["error"]
        return ApiError(response.status_code, error["code"], error["message"], error.get("details"))
    except (ValueError, KeyError, TypeError):
        return ApiError(
            response.status_code, "http_error", f"HTTP {response.status_code}: {response.text[:200]}"
        )
