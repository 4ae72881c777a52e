"""`inject_api_token`: a task calls the `gofer` CLI from inside its container with a run token."""

from __future__ import annotations

import httpx
import pytest

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline, Task
from gofer_sdk.models import RunStatus, TokenKind
from tests.integration.helpers import logs, run_pipeline
from tests.integration.stack import GoferStack

CLI_IMAGE = "gofer-test/gofer-cli:latest"

# Everything the task may do, then two things it may not (they must fail for the task to pass).
UPLOAD = """
set -e
echo "report of run $GOFER_RUN_ID" > /tmp/report
gofer run object put "$GOFER_PIPELINE_ID" "$GOFER_RUN_ID" report /tmp/report
printf %s "$GOFER_API_TOKEN" | gofer pipeline object put "$GOFER_PIPELINE_ID" token
echo "token is $GOFER_API_TOKEN"
if gofer pipeline list; then exit 3; fi
if gofer pipeline object put some-other-pipeline stolen /tmp/report; then exit 4; fi
echo done
"""


@pytest.fixture
def uploaded(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> tuple[str, str]:
    """Run the uploading task; return its log and the token it saw."""
    upload = Task(id="upload", image=CLI_IMAGE, script=UPLOAD, inject_api_token=True)
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[upload]))
    log = logs(gofer, run, "upload").decode()
    assert run.status == RunStatus.SUCCESSFUL, log
    token = b"".join(gofer.get_object(pipeline_id, "token")).decode()
    return log, token


def test_task_puts_objects_with_its_injected_token(
    uploaded: tuple[str, str], gofer: GoferClient, pipeline_id: str
) -> None:
    report = b"".join(gofer.get_object(pipeline_id, "report", run_id=1))

    assert report == b"report of run 1\n"
    assert uploaded[0].rstrip().endswith("done")


def test_injected_token_reaches_nothing_else(uploaded: tuple[str, str], gofer: GoferClient) -> None:
    denied = [e for e in gofer.list_events(limit=100) if e.kind == "access_denied"]

    assert "does not reach" in uploaded[0]
    assert any(e.details.get("path") == "/api/namespaces/default/pipelines" for e in denied)
    assert any("some-other-pipeline/objects/stolen" in str(e.details.get("path")) for e in denied)


def test_injected_token_is_masked_in_logs(uploaded: tuple[str, str]) -> None:
    log, token = uploaded

    assert token.startswith("gofer_")
    assert "token is ***" in log and token not in log


def test_injected_token_dies_with_the_run(
    uploaded: tuple[str, str], stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    answer = httpx.get(
        f"{stack.host}/api/namespaces/default/pipelines/{pipeline_id}/objects",
        headers={"Authorization": f"Bearer {uploaded[1]}"},
    )

    assert answer.status_code == 401
    assert not [t for t in gofer.list_tokens() if t.kind == TokenKind.RUN and t.pipeline == pipeline_id]
