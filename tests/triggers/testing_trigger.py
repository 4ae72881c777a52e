"""A trigger for the tests: a webhook body {"event_id", "repeat", "payload"} reports that event
(`repeat` times, as a retrying trigger would) for every subscription."""

from __future__ import annotations

import json
from collections.abc import Mapping

from gofer_sdk.trigger import InvalidSubscription, Parameter, Subscription, Trigger, WebhookResponse, serve


class TestingTrigger(Trigger):
    name = "testing"
    documentation = "Reports the events posted to its webhook."
    subscription_parameters = (Parameter("greeting", "Put in GREETING of every run.", required=True),)

    def subscribe(self, subscription: Subscription) -> None:
        super().subscribe(subscription)
        if subscription.settings["greeting"] == "forbidden":
            raise InvalidSubscription("greeting 'forbidden' is not allowed here")

    def external_event(self, headers: Mapping[str, str], body: bytes) -> WebhookResponse:
        event = json.loads(body)
        reports = []
        for subscription in list(self.subscriptions.values()):
            variables = {"GREETING": subscription.settings["greeting"], "PAYLOAD": event.get("payload", "")}
            for _ in range(event.get("repeat", 1)):
                reported = self.report(subscription, event["event_id"], variables)
                reports.append(
                    {
                        "pipeline": subscription.pipeline,
                        "run": reported.run_id,
                        "duplicate": reported.duplicate,
                    }
                )
        started = sum(not r["duplicate"] for r in reports)
        return WebhookResponse(status=202, message=json.dumps(reports), runs_started=started)


if __name__ == "__main__":
    serve(TestingTrigger())
