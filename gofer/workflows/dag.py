"""DAG decisions of a run: which tasks start, which are skipped, how the run ended. Pure logic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gofer_sdk.config import Pipeline, RequiredParentStatus, Task
from gofer_sdk.models import ReasonKind, RunStatus, StatusReason, TaskRunStatus

# `any` accepts every way a parent can end except being cancelled with the run.
_ENDED = {TaskRunStatus.SUCCESSFUL, TaskRunStatus.FAILED, TaskRunStatus.SKIPPED}


def condition_met(required: RequiredParentStatus, parent: TaskRunStatus) -> bool:
    if required == RequiredParentStatus.ANY:
        return parent in _ENDED
    if required == RequiredParentStatus.SUCCESS:
        return parent == TaskRunStatus.SUCCESSFUL
    return parent == TaskRunStatus.FAILED


@dataclass
class Decision:
    start: list[str] = field(default_factory=list)
    skip: dict[str, str] = field(default_factory=dict)  # task id -> why


def decide(config: Pipeline, ended: Mapping[str, TaskRunStatus], started: set[str]) -> Decision:
    """Tasks whose parents all ended: start those whose conditions hold, skip the others."""
    decision = Decision()
    for task in config.tasks:
        if task.id in started or task.id in ended:
            continue
        if not all(parent in ended for parent in task.depends_on):
            continue
        unmet = _unmet(task, ended)
        if unmet:
            decision.skip[task.id] = unmet
        else:
            decision.start.append(task.id)
    return decision


def _unmet(task: Task, ended: Mapping[str, TaskRunStatus]) -> str | None:
    for parent, required in task.depends_on.items():
        if not condition_met(required, ended[parent]):
            return f"parent '{parent}' ended {ended[parent].value}; '{task.id}' needs {required.value}"
    return None


def run_result(
    config: Pipeline, ended: Mapping[str, TaskRunStatus], reasons: Mapping[str, StatusReason | None]
) -> tuple[RunStatus, StatusReason | None]:
    """The run's status from its tasks: any failed task fails it; else a cancelled task cancels
    it; skipped tasks count for nothing."""
    failed = [task.id for task in config.tasks if ended.get(task.id) == TaskRunStatus.FAILED]
    cancelled = [task.id for task in config.tasks if ended.get(task.id) == TaskRunStatus.CANCELLED]
    if not failed and cancelled:
        description = f"task(s) cancelled: {', '.join(cancelled)}"
        return RunStatus.CANCELLED, StatusReason(kind=ReasonKind.CANCELLED, description=description)
    if not failed:
        return RunStatus.SUCCESSFUL, None
    first = reasons.get(failed[0])
    kind = first.kind if first else ReasonKind.ABNORMAL_EXIT
    description = f"{len(failed)} task(s) failed: {', '.join(failed)}"
    if first:
        description += f" ({first.description})"
    return RunStatus.FAILED, StatusReason(kind=kind, description=description)
