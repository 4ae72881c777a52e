"""Replacing `pipeline_secret{{key}}`, `global_secret{{key}}`, `pipeline_object{{key}}` and
`run_object{{key}}` values at task start. Pure logic."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


class Source(enum.StrEnum):
    PIPELINE_SECRET = "pipeline_secret"
    GLOBAL_SECRET = "global_secret"
    PIPELINE_OBJECT = "pipeline_object"
    RUN_OBJECT = "run_object"

    @property
    def is_secret(self) -> bool:
        return self in (Source.PIPELINE_SECRET, Source.GLOBAL_SECRET)


# Only a whole value is a reference; "x pipeline_secret{{k}}" stays text.
REFERENCE = re.compile(r"^(pipeline_secret|global_secret|pipeline_object|run_object)\{\{\s*([^{}]+?)\s*\}\}$")


class MissingValue(Exception):
    def __init__(self, variable: str, source: Source, key: str) -> None:
        self.variable, self.source, self.key = variable, source, key
        super().__init__(
            f"variable {variable} needs {source.value.replace('_', ' ')} '{key}', which is not set"
        )


@dataclass
class Resolved:
    env: dict[str, str]
    secrets: list[str] = field(default_factory=list)  # values to mask in the task's logs


def interpolate(env: Mapping[str, str], lookup: Callable[[Source, str], str | None]) -> Resolved:
    """Replace every reference in ``env``; raise `MissingValue` for the first one not found."""
    resolved = Resolved(env=dict(env))
    for variable, value in env.items():
        match = REFERENCE.match(value)
        if match is None:
            continue
        source, key = Source(match.group(1)), match.group(2)
        found = lookup(source, key)
        if found is None:
            raise MissingValue(variable, source, key)
        resolved.env[variable] = found
        if source.is_secret:
            resolved.secrets.append(found)
    return resolved
