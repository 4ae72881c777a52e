"""Activities that keep the store (the read model) current. Each write is idempotent."""

from __future__ import annotations

from temporalio import activity

from gofer.models import RunFinish, RunKey, RunWaiting, TaskRunUpdate
from gofer.store.objects import ObjectStore
from gofer.store.runs import RunStore
from gofer.store.tokens import TokenStore


class StoreActivities:
    def __init__(self, runs: RunStore, objects: ObjectStore, tokens: TokenStore) -> None:
        self._runs = runs
        self._objects = objects
        self._tokens = tokens

    @activity.defn(name="mark_run_running")
    def mark_run_running(self, run: RunKey) -> None:
        self._runs.mark_running(run)

    @activity.defn(name="mark_run_waiting")
    def mark_run_waiting(self, waiting: RunWaiting) -> None:
        self._runs.mark_waiting(waiting.run, waiting.description)

    @activity.defn(name="update_task_run")
    def update_task_run(self, change: TaskRunUpdate) -> None:
        self._runs.update_task(change)

    @activity.defn(name="finish_run")
    def finish_run(self, finish: RunFinish) -> None:
        self._runs.finish(finish)
        self._objects.expire_after(finish.run)
        self._tokens.delete_run_tokens(finish.run)
