"""The shapes of the REST API's trigger and subscription resources (the rest are in models.py)."""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import BaseModel, Field

# Trigger names and subscription labels: lower-case letters, digits and '-'.
TRIGGER_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
LABEL_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
BUILTIN_TRIGGERS = ("interval", "cron")


class SubscriptionCreate(BaseModel):
    trigger: str = Field(
        pattern=TRIGGER_NAME_PATTERN, description="'interval', 'cron' or an installed trigger."
    )
    label: str | None = Field(
        default=None, pattern=LABEL_PATTERN, description="Names this subscription (default: the trigger)."
    )
    settings: dict[str, str] = Field(
        default_factory=dict,
        description="interval: every (e.g. 5m), overlap; cron: expression, timezone, overlap; "
        "others: what the trigger's Info lists.",
    )
    variables: dict[str, str] = Field(
        default_factory=dict, description="Run variables for every run it starts."
    )


class SubscriptionPublic(BaseModel):
    namespace: str
    pipeline: str
    label: str
    trigger: str
    settings: dict[str, str]
    variables: dict[str, str]
    paused: bool
    created: datetime


class TriggerState(enum.StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    STOPPED = "stopped"


class TriggerInstall(BaseModel):
    name: str = Field(pattern=TRIGGER_NAME_PATTERN)
    image: str = Field(min_length=1)
    settings: dict[str, str] = Field(
        default_factory=dict,
        description="Given to the container as GOFER_TRIGGER_SETTING_<KEY>; stored sealed.",
    )


class TriggerPublic(BaseModel):
    name: str
    image: str
    setting_keys: list[str]
    enabled: bool
    state: TriggerState
    generation: int
    message: str
    documentation: str
    installed: datetime
