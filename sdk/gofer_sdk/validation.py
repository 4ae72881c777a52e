"""Checks that span several tasks (duplicates, unknown parents, cycles).

They read the raw mapping, not the parsed model, so that a config with a bad field somewhere
still gets every cross-task problem reported in the same pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config, and where."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def semantic_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """Return every cross-task problem in a raw pipeline mapping."""
    tasks = raw.get("tasks")
    if not isinstance(tasks, list):
        return []
    ids = _task_ids(tasks)
    problems = _duplicate_problems(ids) + _unknown_parent_problems(tasks, ids)
    cycle = find_cycle(_edges(tasks))
    if cycle:
        problems.append(Problem("tasks", "dependency cycle: " + " -> ".join(cycle)))
    return problems


def _task_ids(tasks: list[Any]) -> list[str | None]:
    return [task.get("id") if isinstance(task, Mapping) else None for task in tasks]


def _duplicate_problems(ids: list[str | None]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, task_id in enumerate(ids):
        if task_id is not None and task_id in seen:
            problems.append(Problem(f"tasks[{index}].id", f"duplicate task id '{task_id}'"))
        if isinstance(task_id, str):
            seen.add(task_id)
    return problems


def _unknown_parent_problems(tasks: list[Any], ids: list[str | None]) -> list[Problem]:
    known = {task_id for task_id in ids if isinstance(task_id, str)}
    problems = []
    for index, task in enumerate(tasks):
        for parent in _parents(task):
            if parent not in known:
                problems.append(Problem(f"tasks[{index}].depends_on.{parent}", f"unknown task '{parent}'"))
    return problems


def _parents(task: Any) -> list[str]:
    depends = task.get("depends_on") if isinstance(task, Mapping) else None
    return [str(parent) for parent in depends] if isinstance(depends, Mapping) else []


def _edges(tasks: list[Any]) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = {}
    for task in tasks:
        if isinstance(task, Mapping) and isinstance(task.get("id"), str):
            edges.setdefault(task["id"], []).extend(_parents(task))
    return edges


def find_cycle(edges: Mapping[str, list[str]]) -> list[str] | None:
    """Return one dependency cycle as a closed path (``a -> b -> a``), or None."""
    done: set[str] = set()
    for start in sorted(edges):
        path: list[str] = []
        if _walk(start, edges, path, set(path), done):
            first = path.index(path[-1])
            return path[first:]
    return None


def _walk(
    node: str, edges: Mapping[str, list[str]], path: list[str], on_path: set[str], done: set[str]
) -> bool:
    if node in on_path:
        path.append(node)
        return True
    if node in done or node not in edges:
        return False
    path.append(node)
    on_path.add(node)
    for parent in edges[node]:
        if _walk(parent, edges, path, on_path, done):
            return True
    on_path.discard(path.pop())
    done.add(node)
    return False
