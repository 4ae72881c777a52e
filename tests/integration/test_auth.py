"""Who reaches what: each kind of token against each resource family, through the real app."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.stack import TEST_IMAGE, GoferStack

NS = f"auth-{uuid.uuid4().hex[:6]}"
OTHER = f"other-{uuid.uuid4().hex[:6]}"
PIPE = "guarded"
OK, DENIED, NO_TOKEN = "ok", 403, 401

# (method, path, body) -> expected for: admin, user of NS, user of OTHER, trigger token of NS
CASES: list[tuple[str, str, Any, tuple[Any, Any, Any, Any]]] = [
    ("GET", f"/api/namespaces/{NS}", None, (OK, OK, DENIED, DENIED)),
    ("PATCH", f"/api/namespaces/{NS}", {"description": "x"}, (OK, DENIED, DENIED, DENIED)),
    ("POST", "/api/namespaces", {"id": f"n-{uuid.uuid4().hex[:6]}"}, (OK, DENIED, DENIED, DENIED)),
    ("GET", f"/api/namespaces/{NS}/pipelines", None, (OK, OK, DENIED, DENIED)),
    ("GET", f"/api/namespaces/{NS}/pipelines/{PIPE}", None, (OK, OK, DENIED, DENIED)),
    (
        "POST",
        f"/api/namespaces/{NS}/pipelines",
        {"id": PIPE, "tasks": [{"id": "a", "image": TEST_IMAGE}]},
        (OK, OK, DENIED, DENIED),
    ),
    ("GET", f"/api/namespaces/{NS}/pipelines/{PIPE}/runs", None, (OK, OK, DENIED, OK)),
    ("POST", f"/api/namespaces/{NS}/pipelines/{PIPE}/runs", {"variables": {}}, (OK, OK, DENIED, OK)),
    ("GET", f"/api/namespaces/{NS}/pipelines/{PIPE}/runs/1", None, (OK, OK, DENIED, OK)),
    ("POST", f"/api/namespaces/{NS}/pipelines/{PIPE}/runs/1/retry", None, (OK, OK, DENIED, DENIED)),
    ("POST", f"/api/namespaces/{NS}/pipelines/{PIPE}/runs/cancel-all", None, (OK, OK, DENIED, DENIED)),
    ("GET", f"/api/namespaces/{NS}/pipelines/{PIPE}/versions", None, (OK, OK, DENIED, DENIED)),
    ("GET", f"/api/namespaces/{NS}/pipelines/{PIPE}/secrets", None, (OK, OK, DENIED, DENIED)),
    ("PUT", f"/api/namespaces/{NS}/pipelines/{PIPE}/secrets/K", {"value": "v"}, (OK, OK, DENIED, DENIED)),
    ("GET", "/api/secrets", None, (OK, DENIED, DENIED, DENIED)),
    ("PUT", "/api/secrets/G", {"value": "v", "namespaces": ["*"]}, (OK, DENIED, DENIED, DENIED)),
    ("GET", f"/api/events?namespace={NS}", None, (OK, OK, DENIED, DENIED)),
    ("GET", "/api/events", None, (OK, DENIED, DENIED, DENIED)),
    ("GET", "/api/system", None, (OK, OK, OK, OK)),
    ("PUT", "/api/system/run-intake", {"paused": False}, (OK, DENIED, DENIED, DENIED)),
    ("GET", "/api/tokens", None, (OK, DENIED, DENIED, DENIED)),
    ("POST", "/api/tokens", {"kind": "admin"}, (OK, DENIED, DENIED, DENIED)),
    ("GET", "/api/tokens/whoami", None, (OK, OK, OK, OK)),
]


@pytest.fixture(scope="module")
def tokens(api: TestClient) -> Iterator[dict[str, str]]:
    for namespace in (NS, OTHER):
        assert api.post("/api/namespaces", json={"id": namespace}).status_code == 201
    body = {"id": PIPE, "tasks": [{"id": "a", "image": TEST_IMAGE}]}
    assert api.post(f"/api/namespaces/{NS}/pipelines", json=body).status_code == 201
    assert api.post(f"/api/namespaces/{NS}/pipelines/{PIPE}/runs", json={}).status_code == 201  # run 1
    made = {
        "member": api.post("/api/tokens", json={"kind": "user", "namespaces": ["auth-*"]}).json()["token"],
        "outsider": api.post("/api/tokens", json={"kind": "user", "namespaces": [OTHER]}).json()["token"],
        "ci": api.post("/api/tokens", json={"kind": "trigger", "namespaces": [NS]}).json()["token"],
    }
    yield made
    api.put("/api/system/run-intake", json={"paused": False})


def call(api: TestClient, method: str, path: str, body: Any, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {"Authorization": ""}
    return api.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES]
)
def test_access_matrix(
    api: TestClient,
    stack: GoferStack,
    tokens: dict[str, str],
    method: str,
    path: str,
    body: Any,
    expected: tuple[Any, Any, Any, Any],
) -> None:
    seen = tuple(
        OK if (status := call(api, method, path, body, token)) < 400 else status
        for token in (stack.token, tokens["member"], tokens["outsider"], tokens["ci"])
    )
    assert seen == expected
    assert call(api, method, path, body, None) == NO_TOKEN
    assert call(api, method, path, body, "gofer_not-a-real-token") == NO_TOKEN


def test_health_needs_no_token(api: TestClient) -> None:
    assert api.get("/api/health", headers={"Authorization": ""}).status_code == 200


def test_namespace_list_shows_only_reachable_namespaces(api: TestClient, tokens: dict[str, str]) -> None:
    listed = api.get("/api/namespaces", headers={"Authorization": f"Bearer {tokens['outsider']}"}).json()
    assert [n["id"] for n in listed] == [OTHER]


def test_denied_requests_are_recorded_as_events(api: TestClient, tokens: dict[str, str]) -> None:
    newest = api.get("/api/events", params={"limit": 1}).json()
    api.get(f"/api/namespaces/{NS}/pipelines", headers={"Authorization": f"Bearer {tokens['outsider']}"})
    events = api.get("/api/events", params={"after": newest[-1]["id"], "limit": 100}).json()
    denied = [e for e in events if e["kind"] == "access_denied"]
    assert denied and denied[-1]["details"]["path"] == f"/api/namespaces/{NS}/pipelines"


def test_disabled_and_expired_tokens_get_401(api: TestClient) -> None:
    made = api.post("/api/tokens", json={"kind": "admin", "description": "short-lived"}).json()
    secret, token_id = made["token"], made["details"]["id"]
    assert api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    api.post(f"/api/tokens/{token_id}/disable")
    disabled = api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"})
    api.post(f"/api/tokens/{token_id}/enable")
    enabled = api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"})
    api.delete(f"/api/tokens/{token_id}")
    deleted = api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"})

    assert (disabled.status_code, enabled.status_code, deleted.status_code) == (401, 200, 401)
    assert disabled.json()["error"]["code"] == "unauthorized"


def test_bootstrap_works_only_once(api: TestClient) -> None:
    again = api.post("/api/tokens/bootstrap")
    assert again.status_code == 409 and "already bootstrapped" in again.json()["error"]["message"]


def test_tokens_are_stored_only_as_hashes(api: TestClient, stack: GoferStack) -> None:
    database = b"".join(path.read_bytes() for path in stack.root.glob("gofer.db*"))
    assert stack.token.encode() not in database
    assert hashlib.sha256(stack.token.encode()).hexdigest().encode() in database


def test_expired_token_gets_401(api: TestClient) -> None:
    secret = api.post("/api/tokens", json={"kind": "admin", "expires_in": 1}).json()["token"]
    fresh = api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"}).status_code
    time.sleep(1.5)
    stale = api.get("/api/tokens/whoami", headers={"Authorization": f"Bearer {secret}"}).status_code
    assert (fresh, stale) == (200, 401)


def test_trigger_token_starts_one_run_per_event_id(api: TestClient, tokens: dict[str, str]) -> None:
    runs = f"/api/namespaces/{NS}/pipelines/{PIPE}/runs"
    headers = {"Authorization": f"Bearer {tokens['ci']}"}
    body = {"variables": {"K": "V"}, "event_id": f"build-{uuid.uuid4().hex[:6]}"}
    whoami = api.get("/api/tokens/whoami", headers=headers).json()

    first = api.post(runs, json=body, headers=headers)
    again = api.post(runs, json=body, headers=headers)
    other = api.post(runs, json=body | {"event_id": "another"}, headers=headers)

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert first.json()["initiator"] == f"trigger token {whoami['id']}"
    assert first.json()["event_id"] == f"api/{body['event_id']}"


def test_run_tokens_cannot_be_made_by_hand(api: TestClient) -> None:
    made = api.post("/api/tokens", json={"kind": "run", "namespaces": [NS]})
    assert made.status_code == 422 and "inject_api_token" in made.json()["error"]["message"]
