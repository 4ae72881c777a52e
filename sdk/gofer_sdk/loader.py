"""Load a pipeline config from a YAML file or a Python file built with the SDK."""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ConfigError
from gofer_sdk.validation import Problem, semantic_problems

_FRIENDLY = {
    "string_pattern_mismatch": "must be lowercase letters, digits and '-' (pipelines: 3-32 "
    "characters; tasks: up to 32, '_' allowed, starting with a letter or digit)",
    "extra_forbidden": "unknown key",
    "missing": "required",
}


def load_pipeline_file(path: str | Path) -> Pipeline:
    """Read and validate a pipeline from ``path`` (``.yaml``/``.yml`` or ``.py``).

    Raises:
        ConfigError: listing every problem found, each with its location.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(str(path), [Problem(str(path), "no such file")])
    if path.suffix == ".py":
        return _from_python(path)
    return validate_pipeline(_read_yaml(path), source=str(path))


def validate_pipeline(raw: Any, *, source: str = "config") -> Pipeline:
    """Validate a raw mapping as a pipeline, reporting every problem at once."""
    if not isinstance(raw, Mapping):
        raise ConfigError(source, [Problem("(top)", "a pipeline must be a mapping of keys")])
    problems = semantic_problems(raw)
    try:
        pipeline = Pipeline.model_validate(raw)
    except ValidationError as exc:
        # The cross-task check inside Pipeline repeats `problems`; keep only field errors then.
        field_errors = [e for e in exc.errors() if e["loc"] or not problems]
        raise ConfigError(source, problems + [_problem(error) for error in field_errors]) from None
    return pipeline


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ConfigError(str(path), [Problem(where, f"invalid YAML: {exc}")]) from None


def _from_python(path: Path) -> Pipeline:
    try:
        namespace = runpy.run_path(str(path))
    except ValidationError as exc:
        raise ConfigError(str(path), [_problem(error) for error in exc.errors()]) from None
    found = [value for value in namespace.values() if isinstance(value, Pipeline)]
    if len(found) != 1:
        message = f"define exactly one Pipeline at module level (found {len(found)})"
        raise ConfigError(str(path), [Problem(str(path), message)])
    return found[0]


def _problem(error: Any) -> Problem:
    location = _location(error["loc"])
    if error["type"] == "value_error":
        return Problem(location, str(error["ctx"]["error"]))
    return Problem(location, _FRIENDLY.get(error["type"], error["msg"]))


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top)"
