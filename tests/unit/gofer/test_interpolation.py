"""Secret references in task variables."""

from __future__ import annotations

import pytest

from gofer.activities.interpolation import MissingValue, Source, interpolate

VALUES = {(Source.PIPELINE_SECRET, "db"): "hunter2", (Source.GLOBAL_SECRET, "token"): "t0k"}


def lookup(source: Source, key: str) -> str | None:
    return VALUES.get((source, key))


def test_whole_value_references_are_replaced_and_remembered_for_masking() -> None:
    resolved = interpolate(
        {"DB": "pipeline_secret{{db}}", "TOKEN": "global_secret{{ token }}", "PLAIN": "x"}, lookup
    )
    assert resolved.env == {"DB": "hunter2", "TOKEN": "t0k", "PLAIN": "x"}
    assert sorted(resolved.secrets) == ["hunter2", "t0k"]


def test_reference_inside_other_text_is_left_alone() -> None:
    value = "prefix pipeline_secret{{db}}"
    assert interpolate({"V": value}, lookup).env == {"V": value}


def test_missing_secret_names_the_key_and_variable() -> None:
    with pytest.raises(MissingValue) as caught:
        interpolate({"PASSWORD": "pipeline_secret{{nope}}"}, lookup)
    assert str(caught.value) == "variable PASSWORD needs pipeline secret 'nope', which is not set"
