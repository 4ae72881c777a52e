"""Config diffs show what the author changed."""

from __future__ import annotations

from gofer.diff import config_diff
from gofer_sdk import Pipeline, Task


def test_diff_shows_changed_lines_only() -> None:
    old = Pipeline(id="pipe", tasks=[Task(id="a", image="busybox:1")])
    new = Pipeline(id="pipe", tasks=[Task(id="a", image="busybox:2", timeout=30)])

    text = config_diff(old, new, old_label="pipe v1", new_label="pipe v2")

    assert "--- pipe v1" in text and "+++ pipe v2" in text
    assert "-  image: busybox:1" in text
    assert "+  image: busybox:2" in text and "+  timeout: 30" in text
    assert "retries" not in text  # defaults are not noise


def test_identical_configs_have_empty_diff() -> None:
    config = Pipeline(id="pipe", tasks=[Task(id="a", image="i")])
    assert config_diff(config, config, old_label="a", new_label="b") == ""
