"""Config validation: every problem is reported with its location."""

from __future__ import annotations

from pathlib import Path

import pytest

from gofer_sdk import ConfigError, Pipeline, Task, load_pipeline_file, validate_pipeline


def problems_of(raw: object) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        validate_pipeline(raw)
    return {problem.location: problem.message for problem in caught.value.problems}


def good() -> dict[str, object]:
    return {
        "id": "demo",
        "tasks": [
            {"id": "a", "image": "busybox"},
            {"id": "b", "image": "busybox", "depends_on": {"a": "success"}},
        ],
    }


def test_valid_config_loads() -> None:
    pipeline = validate_pipeline(good())
    assert pipeline.task("b").depends_on == {"a": "success"}


def test_bad_pipeline_id_is_reported() -> None:
    problems = problems_of(good() | {"id": "Bad_ID"})
    assert list(problems) == ["id"]
    assert "lowercase" in problems["id"]


def test_every_problem_is_reported_at_once() -> None:
    raw = {
        "id": "x",
        "tasks": [
            {"id": "a", "image": ""},
            {"id": "a", "image": "busybox"},
            {"id": "c", "image": "busybox", "depends_on": {"ghost": "any"}},
            {"id": "d", "image": "busybox", "depend_on": {"a": "any"}},
            {"id": "e", "image": "busybox", "depends_on": {"a": "sometimes"}},
        ],
    }

    problems = problems_of(raw)

    assert problems["id"].startswith("must be lowercase")
    assert problems["tasks[0].image"]
    assert problems["tasks[1].id"] == "duplicate task id 'a'"
    assert problems["tasks[2].depends_on.ghost"] == "unknown task 'ghost'"
    assert problems["tasks[3].depend_on"] == "unknown key"
    assert "tasks[4].depends_on.a" in problems


def test_cycle_is_named() -> None:
    raw = {
        "id": "cyc",
        "tasks": [
            {"id": "a", "image": "i", "depends_on": {"c": "any"}},
            {"id": "b", "image": "i", "depends_on": {"a": "any"}},
            {"id": "c", "image": "i", "depends_on": {"b": "any"}},
            {"id": "free", "image": "i"},
        ],
    }

    assert problems_of(raw) == {"tasks": "dependency cycle: a -> c -> b -> a"}


def test_self_dependency_is_a_cycle() -> None:
    raw = {"id": "cyc", "tasks": [{"id": "a", "image": "i", "depends_on": {"a": "success"}}]}

    assert problems_of(raw) == {"tasks": "dependency cycle: a -> a"}


def test_script_and_command_together_are_refused() -> None:
    raw = {"id": "both", "tasks": [{"id": "a", "image": "i", "script": "echo", "command": ["echo"]}]}

    assert problems_of(raw) == {"tasks[0]": "give either 'script' or 'command', not both"}


def test_empty_tasks_and_non_mapping_are_refused() -> None:
    assert "tasks" in problems_of({"id": "none", "tasks": []})
    assert problems_of(["not", "a", "mapping"]) == {"(top)": "a pipeline must be a mapping of keys"}


def test_yaml_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("id: from-yaml\ntasks:\n  - id: a\n    image: busybox\n    script: echo hi\n")

    pipeline = load_pipeline_file(path)

    assert pipeline.task("a").container_command() == ["sh", "-c", "echo hi"]


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("id: x\ntasks:\n  - id: a\n   image: [\n")

    with pytest.raises(ConfigError) as caught:
        load_pipeline_file(path)

    assert caught.value.problems[0].location.startswith("line ")


def test_python_file_builds_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "p.py"
    path.write_text(
        "from gofer_sdk import Pipeline, Task\n"
        "p = Pipeline(id='from-py', tasks=[Task(id='a', image='i'), Task(id='b', image='i').after('a')])\n"
    )

    pipeline = load_pipeline_file(path)

    assert pipeline.id == "from-py"
    assert pipeline.task("b").depends_on == {"a": "success"}


def test_python_file_with_invalid_pipeline_reports_problems(tmp_path: Path) -> None:
    path = tmp_path / "p.py"
    path.write_text(
        "from gofer_sdk import Pipeline, Task\np = Pipeline(id='NO', tasks=[Task(id='a', image='i')])\n"
    )

    with pytest.raises(ConfigError) as caught:
        load_pipeline_file(path)

    assert caught.value.problems[0].location == "id"


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_pipeline_file(tmp_path / "absent.yaml")


def test_builder_after_adds_dependency() -> None:
    task = Task(id="t", image="i").after("a", "b", when="any")
    assert task.depends_on == {"a": "any", "b": "any"}
    assert Pipeline(id="ok-id", tasks=[Task(id="a", image="i"), Task(id="b", image="i"), task])


def test_examples_are_valid() -> None:
    root = Path(__file__).parents[3] / "examples"
    for path in sorted(root.iterdir()):
        assert load_pipeline_file(path).tasks, path
