"""``djanco migrate`` output: plain lines when piped, a Rich progress bar at a terminal."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from djanco.cli._migrate_progress import MigrationProgress
from djanco.db.migrations.migration import Migration

FIRST = Migration("0001_initial", "blog")
SECOND = Migration("0002_tags", "blog")


def console(*, terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=120, highlight=False), out


def test_plain_lines_when_not_a_terminal() -> None:
    plain, out = console(terminal=False)
    with MigrationProgress(plain, 2) as progress:
        for migration in (FIRST, SECOND):
            progress("apply_start", migration)
            progress("apply_success", migration)
    assert out.getvalue() == "  Applying blog.0001_initial... OK\n  Applying blog.0002_tags... OK\n"


def test_a_failure_ends_the_open_line() -> None:
    plain, out = console(terminal=False)
    with pytest.raises(RuntimeError), MigrationProgress(plain, 1) as progress:
        progress("unapply_start", SECOND)
        raise RuntimeError("boom")
    assert out.getvalue() == "  Unapplying blog.0002_tags... FAILED\n"


def test_progress_bar_at_a_terminal() -> None:
    terminal, out = console(terminal=True)
    with MigrationProgress(terminal, 2, fake=True) as progress:
        progress("apply_start", FIRST)
        progress("apply_success", FIRST)
    text = out.getvalue()
    assert "Applying blog.0001_initial..." in text and "(faked)" in text
    assert "\x1b[" in text  # drawn with terminal control codes
