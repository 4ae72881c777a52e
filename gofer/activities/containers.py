"""What a task's container looks like: name, labels, environment, command. Pure functions."""

from __future__ import annotations

from gofer.models import TaskAttemptInput
from gofer.orchestrators.base import ContainerSpec


def system_env(attempt: TaskAttemptInput) -> dict[str, str]:
    run, task = attempt.run, attempt.task
    return {
        "GOFER_NAMESPACE": run.namespace,
        "GOFER_PIPELINE_ID": run.pipeline,
        "GOFER_RUN_ID": str(run.run_id),
        "GOFER_TASK_ID": task.id,
        "GOFER_TASK_IMAGE": task.image,
        "GOFER_TASK_ATTEMPT": str(attempt.attempt),
    }


def container_env(attempt: TaskAttemptInput) -> dict[str, str]:
    """System variables, overridden by task variables, overridden by run variables."""
    return system_env(attempt) | attempt.task.variables | attempt.run_variables


def container_spec(attempt: TaskAttemptInput, env: dict[str, str] | None = None) -> ContainerSpec:
    """The container of an attempt; ``env`` replaces the computed environment (once resolved)."""
    run, task = attempt.run, attempt.task
    labels = {
        "dev.gofer.namespace": run.namespace,
        "dev.gofer.pipeline": run.pipeline,
        "dev.gofer.run": str(run.run_id),
        "dev.gofer.task": task.id,
        "dev.gofer.attempt": str(attempt.attempt),
    }
    return ContainerSpec(
        name=attempt.container_name,
        image=task.image,
        command=task.container_command(),
        entrypoint=task.entrypoint,
        env=container_env(attempt) if env is None else env,
        labels=labels,
    )
