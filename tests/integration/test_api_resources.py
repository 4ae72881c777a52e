"""The REST resources through the real app in-process, on a real store and real Temporal."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.integration.stack import TEST_IMAGE, GoferStack

NS = "/api/namespaces"


def config(pipeline_id: str, script: str = "true", **fields: Any) -> dict[str, Any]:
    return {"id": pipeline_id, "tasks": [{"id": "a", "image": TEST_IMAGE, "script": script}], **fields}


def deploy(api: TestClient, body: dict[str, Any], namespace: str = "default") -> dict[str, Any]:
    response = api.post(f"{NS}/{namespace}/pipelines", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_default_namespace_exists_and_cannot_be_deleted(api: TestClient) -> None:
    assert api.get(f"{NS}/default").json()["id"] == "default"
    response = api.delete(f"{NS}/default")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_namespace_lifecycle(api: TestClient, pipeline_id: str) -> None:
    namespace = f"ns-{pipeline_id}"
    assert api.post(NS, json={"id": namespace, "name": "Team"}).status_code == 201
    assert api.post(NS, json={"id": namespace}).status_code == 409
    assert api.patch(f"{NS}/{namespace}", json={"description": "ours"}).json()["description"] == "ours"
    assert namespace in [n["id"] for n in api.get(NS).json()]
    deploy(api, config(pipeline_id), namespace)

    refused = api.delete(f"{NS}/{namespace}")
    assert refused.status_code == 409 and "1 pipeline" in refused.json()["error"]["message"]
    assert api.delete(f"{NS}/{namespace}/pipelines/{pipeline_id}").status_code == 204
    assert api.delete(f"{NS}/{namespace}").status_code == 204
    missing = api.get(f"{NS}/{namespace}")
    assert missing.status_code == 404 and namespace in missing.json()["error"]["message"]


def test_deploy_into_unknown_namespace_is_404(api: TestClient, pipeline_id: str) -> None:
    response = api.post(f"{NS}/nowhere/pipelines", json=config(pipeline_id))
    assert response.status_code == 404
    assert "'nowhere'" in response.json()["error"]["message"]


def test_invalid_namespace_id_is_422(api: TestClient) -> None:
    response = api.post(NS, json={"id": "Not Valid!"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "body.id"


def test_pipelines_are_paginated(api: TestClient, pipeline_id: str) -> None:
    namespace = f"pg-{pipeline_id}"
    api.post(NS, json={"id": namespace})
    for n in range(5):
        deploy(api, config(f"{pipeline_id}-{n}"), namespace)

    first = api.get(f"{NS}/{namespace}/pipelines", params={"limit": 2}).json()
    rest = api.get(f"{NS}/{namespace}/pipelines", params={"limit": 2, "offset": 4}).json()

    assert first["total"] == 5 and [p["id"] for p in first["items"]] == [
        f"{pipeline_id}-0",
        f"{pipeline_id}-1",
    ]
    assert [p["id"] for p in rest["items"]] == [f"{pipeline_id}-4"]


def test_versions_diff_rollback_and_version_deletion(api: TestClient, pipeline_id: str) -> None:
    base = f"{NS}/default/pipelines/{pipeline_id}"
    assert deploy(api, config(pipeline_id, "echo one"))["version"] == 1
    assert deploy(api, config(pipeline_id, "echo two"))["version"] == 2
    unchanged = deploy(api, config(pipeline_id, "echo two"))
    assert (unchanged["version"], unchanged["created"]) == (2, False)

    versions = api.get(f"{base}/versions").json()
    diff = api.get(f"{base}/diff", params={"from": 1, "to": 2}).json()["diff"]
    live_delete = api.delete(f"{base}/versions/2")
    rolled = api.post(f"{base}/versions/1/live").json()

    assert [(v["version"], v["live"]) for v in versions] == [(2, True), (1, False)]
    assert "-  script: echo one" in diff and "+  script: echo two" in diff
    assert live_delete.status_code == 409 and "is live" in live_delete.json()["error"]["message"]
    assert rolled["live_version"] == 1
    assert api.get(base).json()["config"]["tasks"][0]["script"] == "echo one"
    assert api.delete(f"{base}/versions/2").status_code == 204
    assert api.get(f"{base}/versions/2").status_code == 404


def test_disabled_pipeline_refuses_runs_with_reason(api: TestClient, pipeline_id: str) -> None:
    deploy(api, config(pipeline_id))
    base = f"{NS}/default/pipelines/{pipeline_id}"
    assert api.post(f"{base}/disable").json()["state"] == "disabled"

    refused = api.post(f"{base}/runs", json={})

    assert refused.status_code == 409
    assert "disabled" in refused.json()["error"]["message"]
    assert api.get(f"{base}/runs").json()["total"] == 0  # nothing was written
    assert api.post(f"{base}/enable").json()["state"] == "active"


def test_kill_switch_refuses_new_runs_and_is_stored(
    api: TestClient, stack: GoferStack, pipeline_id: str
) -> None:
    deploy(api, config(pipeline_id))
    assert (
        api.put("/api/system/run-intake", json={"paused": True, "reason": "maintenance"}).status_code == 200
    )
    try:
        refused = api.post(f"{NS}/default/pipelines/{pipeline_id}/runs", json={})
        seen_by_other_process = stack.client().system().run_intake  # the server process reads the store
    finally:
        api.put("/api/system/run-intake", json={"paused": False})

    assert refused.status_code == 409 and "maintenance" in refused.json()["error"]["message"]
    assert seen_by_other_process.paused and seen_by_other_process.reason == "maintenance"
    assert api.get("/api/system").json()["run_intake"]["paused"] is False


def test_events_record_what_happened(api: TestClient, pipeline_id: str) -> None:
    newest = api.get("/api/events", params={"limit": 1}).json()
    after = newest[-1]["id"] if newest else 0
    deploy(api, config(pipeline_id))
    api.post(f"{NS}/default/pipelines/{pipeline_id}/disable")

    events = api.get("/api/events", params={"after": after, "limit": 1000}).json()

    mine = [e["kind"] for e in events if e["pipeline"] == pipeline_id]
    assert mine == ["pipeline_deployed", "pipeline_disabled"]


def test_unknown_resources_are_404_naming_them(api: TestClient, pipeline_id: str) -> None:
    deploy(api, config(pipeline_id))
    base = f"{NS}/default/pipelines/{pipeline_id}"
    cases = {
        f"{NS}/default/pipelines/ghost": "'ghost'",
        f"{base}/runs/999": "run 999",
        f"{base}/versions/42": "version 42",
    }
    for path, named in cases.items():
        response = api.get(path)
        assert response.status_code == 404, path
        assert named in response.json()["error"]["message"], path


def test_bad_query_parameters_are_422(api: TestClient, pipeline_id: str) -> None:
    deploy(api, config(pipeline_id))
    response = api.get(f"{NS}/default/pipelines/{pipeline_id}/runs", params={"status": "weird", "limit": 0})
    assert response.status_code == 422
    locations = {d["location"] for d in response.json()["error"]["details"]}
    assert locations == {"query.status", "query.limit"}
