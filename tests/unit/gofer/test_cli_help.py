"""Every CLI command explains itself with an example."""

from __future__ import annotations

from typer.main import get_command

from gofer.cli.main import app


def leaf_commands(group: object, prefix: str = "gofer") -> dict[str, object]:
    found: dict[str, object] = {}
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        found |= leaf_commands(command, path) if hasattr(command, "commands") else {path: command}
    return found


def test_every_command_has_help_with_an_example() -> None:
    commands = leaf_commands(get_command(app))
    assert len(commands) > 30
    missing = [path for path, command in commands.items() if "Example: gofer" not in (command.help or "")]
    assert missing == [], f"commands without an example in --help: {missing}"
