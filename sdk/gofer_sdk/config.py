"""Pipeline configuration: what a pipeline author writes, in YAML or with this module.

A pipeline is a DAG of container tasks. Build one directly::

    from gofer_sdk.config import Pipeline, Task

    pipeline = Pipeline(
        id="hello",
        tasks=[
            Task(id="build", image="busybox:stable", script="echo building"),
            Task(id="test", image="busybox:stable", command=["echo", "ok"]).after("build"),
        ],
    )
"""

from __future__ import annotations

import enum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from gofer_sdk.validation import semantic_problems

PIPELINE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$"
TASK_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"

PipelineId = Annotated[str, StringConstraints(pattern=PIPELINE_ID_PATTERN)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
Image = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RequiredParentStatus(enum.StrEnum):
    """The state a parent task must end in for its child to run."""

    ANY = "any"
    SUCCESS = "success"
    FAILURE = "failure"


class _Strict(BaseModel):
    # Unknown keys are almost always typos ("depend_on"); refuse them rather than ignore them.
    model_config = ConfigDict(extra="forbid")


class Task(_Strict):
    """One container in a pipeline."""

    id: TaskId
    description: str = ""
    image: Image
    command: list[str] | None = None
    entrypoint: list[str] | None = None
    script: str | None = Field(default=None, description="Shell script run with `sh -c`.")
    variables: dict[str, str] = Field(default_factory=dict)
    depends_on: dict[str, RequiredParentStatus] = Field(default_factory=dict)
    timeout: int | None = Field(default=None, gt=0, description="Seconds before the task is killed.")
    retries: int = Field(default=0, ge=0, le=10, description="Extra attempts on a non-zero exit.")
    always_pull: bool = False
    inject_api_token: bool = Field(
        default=False,
        description="Give the task GOFER_API_TOKEN (its pipeline's objects, valid while the run lasts) "
        "and GOFER_HOST, so that it can call `gofer run object put` from inside the container.",
    )

    @model_validator(mode="after")
    def _script_or_command(self) -> Self:
        if self.script is not None and self.command is not None:
            raise ValueError("give either 'script' or 'command', not both")
        return self

    def after(self, *parents: str, when: RequiredParentStatus = RequiredParentStatus.SUCCESS) -> Task:
        """Return a copy of this task that runs after ``parents`` end as ``when`` requires."""
        depends = dict(self.depends_on) | {parent: RequiredParentStatus(when) for parent in parents}
        return self.model_copy(update={"depends_on": depends})

    def container_command(self) -> list[str] | None:
        """The command the container runs: the script through ``sh -c``, else ``command``."""
        if self.script is not None:
            return ["sh", "-c", self.script]
        return self.command


class Pipeline(_Strict):
    """A pipeline: a DAG of tasks that runs as one unit."""

    id: PipelineId
    name: str = ""
    description: str = ""
    parallelism: int = Field(default=0, ge=0, description="Runs at once; 0 means no limit.")
    tasks: list[Task] = Field(min_length=1)

    @model_validator(mode="after")
    def _dag_is_sound(self) -> Self:
        problems = semantic_problems(self.model_dump(mode="json"))
        if problems:
            raise ValueError("; ".join(f"{p.location}: {p.message}" for p in problems))
        return self

    def task(self, task_id: str) -> Task:
        """Return the task with id ``task_id``."""
        return next(task for task in self.tasks if task.id == task_id)
