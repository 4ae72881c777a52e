"""Workflows stay deterministic: they import no I/O library."""

from __future__ import annotations

import ast
from pathlib import Path

import gofer.workflows

FORBIDDEN = {
    "docker",
    "kubernetes",
    "sqlalchemy",
    "httpx",
    "os",
    "time",
    "random",
    "socket",
    "subprocess",
    "requests",
    "threading",
    "uuid",
    "gofer.store",
    "gofer.activities",
    "gofer.orchestrators",
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_workflow_modules_import_nothing_forbidden() -> None:
    folder = Path(gofer.workflows.__file__).parent
    for path in folder.glob("*.py"):
        bad = {
            name
            for name in imported_modules(path)
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
        }
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_workflow_modules_read_no_wall_clock() -> None:
    folder = Path(gofer.workflows.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"now", "utcnow", "today"}:
                assert isinstance(node.value, ast.Name) and node.value.id == "workflow", (
                    f"{path.name}:{node.lineno} reads the clock; use workflow.now()"
                )
