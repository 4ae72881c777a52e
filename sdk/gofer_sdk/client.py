"""A typed client for the Gofer REST API.

from gofer_sdk.client import GoferClient

with GoferClient("http://127.0.0.1:8080") as gofer:
    run = gofer.start_run("diamond", variables={"GREETING": "hi"})
    print(gofer.get_run("diamond", run.id).status)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gofer_sdk._access import AccessApi
from gofer_sdk._http import DEFAULT_HOST, DEFAULT_NAMESPACE
from gofer_sdk._triggers import TriggersApi
from gofer_sdk.config import Pipeline
from gofer_sdk.models import (
    ConfigDiff,
    ConfigVersionPublic,
    DeployResult,
    EventPublic,
    Health,
    NamespaceCreate,
    NamespacePublic,
    NamespaceUpdate,
    Page,
    PipelinePublic,
    RunCreate,
    RunIntake,
    RunPublic,
    RunStatus,
    SystemPublic,
    TaskRunPublic,
)

__all__ = ["DEFAULT_HOST", "DEFAULT_NAMESPACE", "GoferClient"]


class GoferClient(AccessApi, TriggersApi):
    """Talks to one Gofer API.

    Args:
        host: base URL of the API, e.g. ``http://127.0.0.1:8080``.
        namespace: namespace used when a call does not name one.
        token: bearer token sent with every request, if any.
        transport: an httpx transport; tests pass one that serves the app in-process.
    """

    def __enter__(self) -> GoferClient:
        return self

    # system

    def health(self) -> Health:
        """Return the API's health and version."""
        return self._call("GET", "/api/health", Health)

    def system(self) -> SystemPublic:
        """Return the version, the run intake switch and the global parallelism."""
        return self._call("GET", "/api/system", SystemPublic)

    def set_run_intake(self, *, paused: bool, reason: str = "") -> RunIntake:
        """Pause (kill switch) or resume the start of new runs."""
        body = RunIntake(paused=paused, reason=reason).model_dump()
        return self._call("PUT", "/api/system/run-intake", RunIntake, json=body)

    # namespaces

    def create_namespace(
        self, namespace_id: str, *, name: str = "", description: str = ""
    ) -> NamespacePublic:
        """Create a namespace."""
        body = NamespaceCreate(id=namespace_id, name=name, description=description).model_dump()
        return self._call("POST", "/api/namespaces", NamespacePublic, json=body)

    def list_namespaces(self) -> list[NamespacePublic]:
        """Return every namespace."""
        return self._call("GET", "/api/namespaces", list[NamespacePublic])

    def get_namespace(self, namespace_id: str) -> NamespacePublic:
        """Return one namespace."""
        return self._call("GET", f"/api/namespaces/{namespace_id}", NamespacePublic)

    def update_namespace(
        self, namespace_id: str, *, name: str | None = None, description: str | None = None
    ) -> NamespacePublic:
        """Change a namespace's name or description."""
        body = NamespaceUpdate(name=name, description=description).model_dump(exclude_none=True)
        return self._call("PATCH", f"/api/namespaces/{namespace_id}", NamespacePublic, json=body)

    def delete_namespace(self, namespace_id: str) -> None:
        """Delete an empty namespace."""
        self._request("DELETE", f"/api/namespaces/{namespace_id}")

    # pipelines and config versions

    def deploy(self, pipeline: Pipeline, *, namespace: str | None = None) -> DeployResult:
        """Register ``pipeline`` as a new config version and make it live."""
        body = pipeline.model_dump(mode="json")
        return self._call("POST", f"{self._ns(namespace)}/pipelines", DeployResult, json=body)

    def list_pipelines(
        self, *, offset: int = 0, limit: int = 50, namespace: str | None = None
    ) -> Page[PipelinePublic]:
        """Return one page of the namespace's pipelines."""
        params = {"offset": offset, "limit": limit}
        return self._call("GET", f"{self._ns(namespace)}/pipelines", Page[PipelinePublic], params=params)

    def get_pipeline(self, pipeline_id: str, *, namespace: str | None = None) -> PipelinePublic:
        """Return one pipeline with its live config, run count and last run status."""
        return self._call("GET", self._pipeline(pipeline_id, namespace), PipelinePublic)

    def set_pipeline_enabled(
        self, pipeline_id: str, enabled: bool, *, namespace: str | None = None
    ) -> PipelinePublic:
        """Enable or disable a pipeline; a disabled pipeline refuses new runs."""
        action = "enable" if enabled else "disable"
        return self._call("POST", f"{self._pipeline(pipeline_id, namespace)}/{action}", PipelinePublic)

    def delete_pipeline(self, pipeline_id: str, *, namespace: str | None = None) -> None:
        """Delete a pipeline with its versions and runs."""
        self._request("DELETE", self._pipeline(pipeline_id, namespace))

    def list_versions(self, pipeline_id: str, *, namespace: str | None = None) -> list[ConfigVersionPublic]:
        """Return every config version of the pipeline, newest first."""
        path = f"{self._pipeline(pipeline_id, namespace)}/versions"
        return self._call("GET", path, list[ConfigVersionPublic])

    def get_version(
        self, pipeline_id: str, version: int, *, namespace: str | None = None
    ) -> ConfigVersionPublic:
        """Return one config version."""
        path = f"{self._pipeline(pipeline_id, namespace)}/versions/{version}"
        return self._call("GET", path, ConfigVersionPublic)

    def make_live(self, pipeline_id: str, version: int, *, namespace: str | None = None) -> PipelinePublic:
        """Make ``version`` the one new runs use (a rollback when it is older)."""
        path = f"{self._pipeline(pipeline_id, namespace)}/versions/{version}/live"
        return self._call("POST", path, PipelinePublic)

    def delete_version(self, pipeline_id: str, version: int, *, namespace: str | None = None) -> None:
        """Delete a config version that is neither live nor used by a run."""
        self._request("DELETE", f"{self._pipeline(pipeline_id, namespace)}/versions/{version}")

    def diff(self, pipeline_id: str, old: int, new: int, *, namespace: str | None = None) -> ConfigDiff:
        """Return the unified diff between two config versions."""
        params = {"from": old, "to": new}
        return self._call("GET", f"{self._pipeline(pipeline_id, namespace)}/diff", ConfigDiff, params=params)

    # runs

    def start_run(
        self,
        pipeline_id: str,
        *,
        variables: dict[str, str] | None = None,
        event_id: str | None = None,
        namespace: str | None = None,
    ) -> RunPublic:
        """Start a run of the pipeline's live config with the given run variables.

        With ``event_id``, starting again with the same id (a retry) returns the first run instead
        of starting another.
        """
        body = RunCreate(variables=variables or {}, event_id=event_id).model_dump()
        return self._call("POST", self._runs(pipeline_id, namespace), RunPublic, json=body)

    def get_run(self, pipeline_id: str, run_id: int, *, namespace: str | None = None) -> RunPublic:
        """Return one run with its task runs."""
        return self._call("GET", f"{self._runs(pipeline_id, namespace)}/{run_id}", RunPublic)

    def list_runs(
        self,
        pipeline_id: str,
        *,
        offset: int = 0,
        limit: int = 50,
        status: RunStatus | None = None,
        namespace: str | None = None,
    ) -> Page[RunPublic]:
        """Return one page of the pipeline's runs, newest first, optionally of one status."""
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if status is not None:
            params["status"] = status.value
        return self._call("GET", self._runs(pipeline_id, namespace), Page[RunPublic], params=params)

    def cancel_run(self, pipeline_id: str, run_id: int, *, namespace: str | None = None) -> RunPublic:
        """Ask a run to stop: running containers get SIGTERM, then SIGKILL."""
        return self._call("POST", f"{self._runs(pipeline_id, namespace)}/{run_id}/cancel", RunPublic)

    def cancel_all_runs(self, pipeline_id: str, *, namespace: str | None = None) -> list[int]:
        """Cancel every unfinished run of the pipeline; return their ids."""
        return self._call("POST", f"{self._runs(pipeline_id, namespace)}/cancel-all", list[int])

    def retry_run(self, pipeline_id: str, run_id: int, *, namespace: str | None = None) -> RunPublic:
        """Start a new run with the same variables and config version as ``run_id``."""
        return self._call("POST", f"{self._runs(pipeline_id, namespace)}/{run_id}/retry", RunPublic)

    # task runs

    def list_tasks(
        self, pipeline_id: str, run_id: int, *, namespace: str | None = None
    ) -> list[TaskRunPublic]:
        """Return the run's task runs."""
        return self._call("GET", self._tasks(pipeline_id, run_id, namespace), list[TaskRunPublic])

    def get_task(
        self, pipeline_id: str, run_id: int, task_id: str, *, namespace: str | None = None
    ) -> TaskRunPublic:
        """Return one task run."""
        return self._call("GET", f"{self._tasks(pipeline_id, run_id, namespace)}/{task_id}", TaskRunPublic)

    def cancel_task(
        self, pipeline_id: str, run_id: int, task_id: str, *, namespace: str | None = None
    ) -> TaskRunPublic:
        """Cancel one task; the rest of the run goes on."""
        path = f"{self._tasks(pipeline_id, run_id, namespace)}/{task_id}/cancel"
        return self._call("POST", path, TaskRunPublic)

    def task_logs(
        self,
        pipeline_id: str,
        run_id: int,
        task_id: str,
        *,
        follow: bool = False,
        attempt: int | None = None,
        offset: int = 0,
        namespace: str | None = None,
    ) -> Iterator[bytes]:
        """Yield a task's log as raw bytes (every attempt, or one ``attempt`` from ``offset``);
        with ``follow`` keep yielding until the task ends."""
        path = f"{self._tasks(pipeline_id, run_id, namespace)}/{task_id}/logs"
        params: dict[str, Any] = {"follow": "true"} if follow else {}
        params |= {"attempt": attempt, "offset": offset} if attempt is not None else {}
        yield from self._stream(path, params, follow=follow)

    def delete_task_logs(
        self, pipeline_id: str, run_id: int, task_id: str, *, namespace: str | None = None
    ) -> None:
        """Delete the stored logs of a finished task."""
        self._request("DELETE", f"{self._tasks(pipeline_id, run_id, namespace)}/{task_id}/logs")

    # events

    def list_events(
        self, *, after: int | None = None, limit: int = 100, namespace: str | None = None
    ) -> list[EventPublic]:
        """Return stored events, oldest first: the newest ``limit``, or those after an id."""
        params: dict[str, Any] = {"limit": limit}
        params |= {"after": after} if after is not None else {}
        params |= {"namespace": namespace} if namespace else {}
        return self._call("GET", "/api/events", list[EventPublic], params=params)

    def follow_events(
        self, *, after: int | None = None, namespace: str | None = None
    ) -> Iterator[EventPublic]:
        """Yield events as they happen (from after ``after`` if given), until the caller stops."""
        params: dict[str, Any] = {"follow": "true"}
        params |= {"after": after} if after is not None else {}
        params |= {"namespace": namespace} if namespace else {}
        buffer = b""
        for chunk in self._stream("/api/events", params, follow=True):
            buffer += chunk
            while b"\n\n" in buffer:
                message, buffer = buffer.split(b"\n\n", 1)
                data = [line[5:].strip() for line in message.split(b"\n") if line.startswith(b"data:")]
                if data:
                    yield EventPublic.model_validate_json(b"".join(data))

    # plumbing

    def _tasks(self, pipeline_id: str, run_id: int, namespace: str | None) -> str:
        return f"{self._runs(pipeline_id, namespace)}/{run_id}/tasks"
