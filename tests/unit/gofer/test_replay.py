"""Recorded histories replay against today's workflow code: a change that would break runs
already in flight fails here (put such changes behind `workflow.patched`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from gofer.workflows.run import PipelineRunWorkflow

HISTORIES = sorted((Path(__file__).parents[2] / "histories").glob("*.json"))


def test_histories_are_recorded() -> None:
    assert HISTORIES, "no recorded histories: run scripts/record-history.py"


@pytest.mark.parametrize("path", HISTORIES, ids=[path.stem for path in HISTORIES])
async def test_recorded_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json("recorded", path.read_text())
    replayer = Replayer(workflows=[PipelineRunWorkflow], data_converter=pydantic_data_converter)

    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None, f"{path.name} no longer replays: {result.replay_failure}"
