from __future__ import annotations

from gofer.cli.render import one_line


def test_one_line_keeps_short_messages_whole() -> None:
    assert one_line("trigger is running", 40) == "trigger is running"


def test_one_line_cuts_long_and_multi_line_messages() -> None:
    assert one_line("first line\nsecond line") == "first line"
    cut = one_line("x" * 100, 40)
    assert len(cut) == 40 and cut.endswith("…")
