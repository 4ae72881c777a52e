"""The GitHub trigger: starts runs from GitHub webhooks.

Point a repository's webhook (content type application/json) at
`https://<gofer>/api/triggers/<name>/events` with the secret given at install time:

    gofer trigger install github gofer/trigger-github:latest -s webhook_secret=…
    gofer pipeline subscribe build github -s repository=owner/app -s events=push,pull_request

Every delivery's signature (X-Hub-Signature-256) is checked before anything else; the delivery id
is the event id, so a delivery GitHub sends again starts no second run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from gofer_sdk.trigger import InvalidSubscription, Parameter, Subscription, Trigger, WebhookResponse, serve

PREFIX = "GOFER_TRIGGER_GITHUB_"


def _words(value: str | None) -> set[str]:
    return {word.strip() for word in (value or "").split(",") if word.strip()}


def signature_matches(secret: str, body: bytes, signature: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def run_variables(event: str, delivery: str, payload: Mapping[str, Any]) -> dict[str, str]:
    """The fields a pipeline usually needs, as run variables."""
    pull = payload.get("pull_request") or {}
    release = payload.get("release") or {}
    ref = payload.get("ref") or (pull.get("head") or {}).get("ref") or release.get("tag_name") or ""
    sha = payload.get("after") or (pull.get("head") or {}).get("sha") or ""
    values = {
        "EVENT": event,
        "ACTION": payload.get("action", ""),
        "DELIVERY": delivery,
        "REPOSITORY": (payload.get("repository") or {}).get("full_name", ""),
        "REF": ref,
        "SHA": sha,
        "SENDER": (payload.get("sender") or {}).get("login", ""),
        "PULL_REQUEST": str(pull.get("number", "")),
    }
    return {PREFIX + key: str(value) for key, value in values.items()}


class GithubTrigger(Trigger):
    name = "github"
    documentation = __doc__ or ""
    settings = (Parameter("webhook_secret", "The secret configured on the GitHub webhook.", required=True),)
    subscription_parameters = (
        Parameter("repository", "owner/name of the repository.", required=True),
        Parameter("events", "Comma-separated GitHub events (default: all), e.g. push,pull_request."),
        Parameter("actions", "Comma-separated actions (default: all), e.g. opened,synchronize."),
    )

    def subscribe(self, subscription: Subscription) -> None:
        super().subscribe(subscription)
        if subscription.settings["repository"].count("/") != 1:
            raise InvalidSubscription(f"repository '{subscription.settings['repository']}' is not owner/name")

    def external_event(self, headers: Mapping[str, str], body: bytes) -> WebhookResponse:
        secret = self.setting("webhook_secret")
        if not secret:
            return WebhookResponse(status=500, message="the trigger has no webhook_secret setting")
        if not signature_matches(secret, body, headers.get("x-hub-signature-256", "")):
            return WebhookResponse(status=401, message="the X-Hub-Signature-256 signature does not match")
        event, delivery = headers.get("x-github-event", ""), headers.get("x-github-delivery", "")
        if event == "ping":
            return WebhookResponse(status=200, message="pong")
        if not delivery:
            return WebhookResponse(status=400, message="no X-GitHub-Delivery header")
        payload = json.loads(body)
        started = 0
        for subscription in self._matching(event, payload):
            reported = self.report(subscription, delivery, run_variables(event, delivery, payload))
            started += not reported.duplicate
        return WebhookResponse(
            status=202 if started else 200, message=f"{started} run(s) started", runs_started=started
        )

    def _matching(self, event: str, payload: Mapping[str, Any]) -> list[Subscription]:
        repository = str((payload.get("repository") or {}).get("full_name", "")).lower()
        action = payload.get("action", "")
        return [
            subscription
            for subscription in list(self.subscriptions.values())
            if subscription.settings["repository"].lower() == repository
            and (not (events := _words(subscription.settings.get("events"))) or event in events)
            and (not (actions := _words(subscription.settings.get("actions"))) or action in actions)
        ]


if __name__ == "__main__":
    serve(GithubTrigger())
