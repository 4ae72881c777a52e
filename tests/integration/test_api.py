"""The REST API's error contract, against the real server process."""

from __future__ import annotations

import httpx
import pytest

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ApiError
from tests.integration.helpers import run_pipeline, task
from tests.integration.stack import GoferStack


def test_invalid_config_lists_every_problem_and_stores_nothing(stack: GoferStack, pipeline_id: str) -> None:
    body = {
        "id": pipeline_id,
        "tasks": [
            {"id": "a", "image": "i", "depends_on": {"b": "any"}},
            {"id": "b", "image": "i", "depends_on": {"a": "any"}},
            {"id": "b", "image": "", "colour": "red"},
        ],
    }

    response = httpx.post(f"{stack.host}/api/namespaces/default/pipelines", json=body, headers=stack.auth)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_config"
    locations = {detail["location"] for detail in error["details"]}
    assert {"tasks[2].id", "tasks", "tasks[2].image", "tasks[2].colour"} <= locations
    assert any("dependency cycle" in detail["message"] for detail in error["details"])
    missing = httpx.get(f"{stack.host}/api/namespaces/default/pipelines/{pipeline_id}", headers=stack.auth)
    assert missing.status_code == 404
    assert pipeline_id in missing.json()["error"]["message"]


def test_unknown_pipeline_run_is_404_naming_it(gofer: GoferClient) -> None:
    with pytest.raises(ApiError) as caught:
        gofer.start_run("no-such-pipeline")
    assert caught.value.status == 404
    assert caught.value.code == "not_found"
    assert "no-such-pipeline" in caught.value.message


def test_run_of_unknown_pipeline_is_404_naming_the_pipeline(gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    with pytest.raises(ApiError) as no_pipeline:
        gofer.get_run("no-such-pipeline", 1)
    with pytest.raises(ApiError) as no_run:
        gofer.get_run(pipeline_id, 99)
    assert no_pipeline.value.status == no_run.value.status == 404
    assert no_pipeline.value.message.startswith("pipeline 'no-such-pipeline' not found")
    assert no_run.value.message == f"run 99 of pipeline '{pipeline_id}' not found"


def test_bad_run_body_is_422_with_field_errors(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    response = httpx.post(
        f"{stack.host}/api/namespaces/default/pipelines/{pipeline_id}/runs",
        json={"variables": {"K": 1}},
        headers=stack.auth,
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "body.variables.K"


def test_cancelling_a_finished_run_is_409(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as caught:
        gofer.cancel_run(pipeline_id, run.id)

    assert caught.value.status == 409
    assert "already ended" in caught.value.message


def test_logs_of_unknown_task_are_404(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as caught:
        b"".join(gofer.task_logs(pipeline_id, run.id, "nope"))

    assert caught.value.status == 404
    assert "'nope'" in caught.value.message


def test_run_links_to_temporal_history(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    run = gofer.start_run(pipeline_id)
    assert run.workflow_id == f"run/default/{pipeline_id}/{run.id}"
