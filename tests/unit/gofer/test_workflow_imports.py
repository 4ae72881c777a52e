"""Workflows stay deterministic: they import no I/O library."""

from __future__ import annotations

import ast
from pathlib import Path

import gofer

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


def workflow_modules() -> list[Path]:
    """gofer/workflows/, and any other module that defines a workflow (the trigger supervisor)."""
    package = Path(gofer.__file__).parent
    defining = [path for path in package.rglob("*.py") if "@workflow.defn" in path.read_text()]
    return sorted(set(defining) | set((package / "workflows").glob("*.py")))


def test_workflow_modules_are_found() -> None:
    names = {path.name for path in workflow_modules()}
    assert {"run.py", "scheduler.py", "dag.py", "supervisor.py"} <= names


def test_workflow_modules_import_nothing_forbidden() -> None:
    for path in workflow_modules():
        bad = {
            name
            for name in imported_modules(path)
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
        }
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_workflow_modules_read_no_wall_clock() -> None:
    for path in workflow_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"now", "utcnow", "today"}:
                assert isinstance(node.value, ast.Name) and node.value.id == "workflow", (
                    f"{path.name}:{node.lineno} reads the clock; use workflow.now()"
                )
