"""What ``djanco migrate`` shows while it runs: a line per migration, as Django
(``  Applying blog.0002_x... OK``), and at a terminal a Rich progress bar meanwhile."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from rich.console import Console

    from djanco.db.migrations.migration import Migration


class MigrationProgress:
    """The executor's ``progress`` callback, used as a context manager around the run.

    Not at a terminal (tests, CI logs) it prints plain lines only: ``  Applying x...`` when a
    migration starts and `` OK`` when it is done, so a failure shows where it happened."""

    def __init__(self, console: Console, total: int, *, fake: bool = False) -> None:
        self.console = console
        self.total = total
        self.fake = fake
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._line_open = False

    def __enter__(self) -> MigrationProgress:
        if self.console.is_terminal:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("Migrating", total=self.total)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif exc is not None and self._line_open:
            self.console.print(" [red]FAILED[/]")

    def __call__(self, event: str, migration: Migration) -> None:
        verb = "Unapplying" if event.startswith("unapply") else "Applying"
        label = escape(f"{migration.app_label}.{migration.name}")
        done = " [green]OK[/]" + (" (faked)" if self.fake else "")
        if self._bar is None or self._task is None:
            self._line_open = event.endswith("_start")
            self.console.print(f"  {verb} {label}..." if self._line_open else done, end="")
            if not self._line_open:
                self.console.print()
            return
        if event.endswith("_start"):
            self._bar.update(self._task, description=f"{verb} {label}")
        else:
            self._bar.console.print(f"  {verb} {label}...{done}")
            self._bar.advance(self._task)
