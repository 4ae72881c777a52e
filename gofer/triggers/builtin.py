"""The built-in `interval` and `cron` triggers: their settings, checked. Pure logic.

Both become Temporal Schedules; these functions turn a subscription's settings into what the
schedule needs, and list every problem with them at once.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import timedelta

from gofer.errors import InvalidInput

INTERVAL = "interval"
CRON = "cron"
MIN_INTERVAL = timedelta(seconds=1)
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


class Overlap(enum.StrEnum):
    """What a firing does while the run of the previous one is still going."""

    SKIP = "skip"  # no run for this firing
    BUFFER_ONE = "buffer_one"  # start one run after the current one ends
    CANCEL_OTHER = "cancel_other"  # cancel the running run, then start


@dataclass(frozen=True)
class ScheduleSettings:
    every: timedelta | None
    cron: str | None
    timezone: str | None
    overlap: Overlap

    @property
    def catchup_window(self) -> timedelta:
        """Firings missed while Gofer was down are made up within this window (at most one
        interval for interval triggers, a minute for cron); later ones are skipped, not replayed."""
        return max(self.every or timedelta(minutes=1), timedelta(seconds=10))


def parse_duration(text: str) -> timedelta | None:
    """'90s', '5m', '1h30m', '2d' -> timedelta; None when not a duration."""
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def schedule_settings(trigger: str, settings: dict[str, str]) -> ScheduleSettings:
    """Check the settings of an interval or cron subscription; InvalidInput lists every problem."""
    allowed = {INTERVAL: {"every", "overlap"}, CRON: {"expression", "timezone", "overlap"}}[trigger]
    problems = [
        f"settings.{key}: not a setting of the {trigger} trigger" for key in sorted(settings.keys() - allowed)
    ]
    overlap = _overlap(settings.get("overlap", Overlap.SKIP.value), problems)
    every = cron = None
    if trigger == INTERVAL:
        every = _every(settings.get("every"), problems)
    else:
        cron = settings.get("expression", "").strip()
        if len(cron.split()) not in (5, 6, 7):
            problems.append("settings.expression: give a cron expression such as '0 3 * * *'")
    if problems:
        details = [dict(zip(("location", "message"), p.split(": ", 1), strict=True)) for p in problems]
        raise InvalidInput(f"invalid {trigger} subscription ({len(problems)} problem(s))", details=details)
    return ScheduleSettings(every=every, cron=cron, timezone=settings.get("timezone"), overlap=overlap)


def _overlap(value: str, problems: list[str]) -> Overlap:
    try:
        return Overlap(value.replace("-", "_"))
    except ValueError:
        choices = ", ".join(o.value for o in Overlap)
        problems.append(f"settings.overlap: '{value}' is not one of {choices}")
        return Overlap.SKIP


def _every(value: str | None, problems: list[str]) -> timedelta | None:
    if value is None:
        problems.append("settings.every: required, e.g. 5m, 1h, 30s")
        return None
    every = parse_duration(value)
    if every is None:
        problems.append(f"settings.every: '{value}' is not a duration like 30s, 5m, 1h30m, 2d")
    elif every < MIN_INTERVAL:
        problems.append("settings.every: must be at least 1s")
    return every
