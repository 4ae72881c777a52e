"""RunSchedulerWorkflow: hands out run slots under pipeline and global parallelism limits.

One long-running workflow (id `gofer-run-scheduler/{task queue}`) keeps the queue inside Temporal, so a run
over a limit waits durably in state `pending` and no API call ever blocks on a free slot. Runs
ask for a slot through the service layer (`enqueue`), wait for a `grant` signal, and give the
slot back (`release`) when they end, however they end.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from gofer.models import SchedulerState, SlotRequest


def scheduler_id(task_queue: str) -> str:
    """One scheduler per Gofer installation, which is one task queue."""
    return f"gofer-run-scheduler/{task_queue}"


def grantable(queue: list[SlotRequest], running: list[SlotRequest]) -> list[SlotRequest]:
    """The queued requests that may start now, oldest first, keeping order within a pipeline."""
    granted: list[SlotRequest] = []
    active = list(running)
    blocked: set[str] = set()
    for request in queue:
        if request.global_limit and len(active) >= request.global_limit:
            break  # first come, first served across pipelines
        if request.pipeline in blocked:
            continue
        in_pipeline = sum(1 for other in active if other.pipeline == request.pipeline)
        if request.pipeline_limit and in_pipeline >= request.pipeline_limit:
            blocked.add(request.pipeline)
            continue
        granted.append(request)
        active.append(request)
    return granted


@workflow.defn(name="RunSchedulerWorkflow")
class RunSchedulerWorkflow:
    def __init__(self) -> None:
        self._queue: list[SlotRequest] = []
        self._running: list[SlotRequest] = []
        self._outbox: list[str] = []

    @workflow.run
    async def run(self, state: SchedulerState) -> None:
        self._queue.extend(r for r in state.queue if not self._known(r.workflow_id))
        self._running.extend(r for r in state.running if not self._known(r.workflow_id))
        self._outbox.extend(state.outbox)
        self._grant()
        while True:
            await workflow.wait_condition(
                lambda: bool(self._outbox) or workflow.info().is_continue_as_new_suggested()
            )
            while self._outbox:
                await self._send_grant(self._outbox.pop(0))
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self.state())

    @workflow.signal
    def enqueue(self, request: SlotRequest) -> None:
        if not self._known(request.workflow_id):
            self._queue.append(request)
            self._grant()

    @workflow.signal
    def release(self, workflow_id: str) -> None:
        self._queue = [r for r in self._queue if r.workflow_id != workflow_id]
        self._running = [r for r in self._running if r.workflow_id != workflow_id]
        self._grant()

    @workflow.query
    def state(self) -> SchedulerState:
        return SchedulerState(queue=self._queue, running=self._running, outbox=self._outbox)

    def _known(self, workflow_id: str) -> bool:
        return any(r.workflow_id == workflow_id for r in [*self._queue, *self._running])

    def _grant(self) -> None:
        for request in grantable(self._queue, self._running):
            self._queue.remove(request)
            self._running.append(request)
            self._outbox.append(request.workflow_id)

    async def _send_grant(self, workflow_id: str) -> None:
        try:
            await workflow.get_external_workflow_handle(workflow_id).signal("grant")
        except Exception:  # the run is gone (terminated while queued): free its slot
            workflow.logger.warning("run %s could not take its slot; releasing it", workflow_id)
            self.release(workflow_id)
