"""Differences between two pipeline configs, as a unified diff of their YAML."""

from __future__ import annotations

import difflib

import yaml

from gofer_sdk.config import Pipeline


def config_diff(old: Pipeline, new: Pipeline, *, old_label: str, new_label: str) -> str:
    return "".join(
        difflib.unified_diff(
            _yaml(old).splitlines(keepends=True),
            _yaml(new).splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )


def _yaml(config: Pipeline) -> str:
    # Defaults left out: the diff shows what the author wrote, not every field's default.
    return yaml.safe_dump(config.model_dump(mode="json", exclude_defaults=True), sort_keys=False)
