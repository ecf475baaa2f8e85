"""``djanco collectstatic``: copy every static file the finders find into STATIC_ROOT, then
let the storage post-process them (content-hashed names with ManifestStaticFilesStorage)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from djanco.apps import apps
from djanco.contrib.staticfiles.apps import StaticFilesConfig
from djanco.contrib.staticfiles.finders import get_finders
from djanco.contrib.staticfiles.storage import Storage, staticfiles_storage

_console = Console(highlight=False, soft_wrap=True)


@dataclass
class _Report:
    """What a run did, counted as Django's summary line counts it."""

    destination: Path
    deleted: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    unmodified: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    post_processed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        deleted = len(self.deleted)
        parts = [f"{deleted} static file{_s(deleted)} deleted, " if deleted else ""]
        copied = len(self.copied)
        parts.append(f"{copied} static file{_s(copied)} copied to '{self.destination}'")
        if self.unmodified:
            parts.append(f", {len(self.unmodified)} unmodified")
        if self.post_processed:
            parts.append(f", {len(self.post_processed)} post-processed")
        if self.skipped:
            parts.append(f", {len(self.skipped)} skipped due to conflict")
        return "".join(parts) + "."


def command(
    noinput: Annotated[
        bool,
        typer.Option("--noinput", "--no-input", help="Do NOT prompt the user for input."),
    ] = False,
    clear: Annotated[
        bool,
        typer.Option("--clear", "-c", help="Delete the files in STATIC_ROOT before collecting."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Do everything except modify the filesystem.")
    ] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            "-i",
            metavar="PATTERN",
            help="Ignore files or directories matching this glob pattern (repeatable).",
        ),
    ] = None,
    no_default_ignore: Annotated[
        bool,
        typer.Option("--no-default-ignore", help="Don't ignore the patterns 'CVS', '.*' and '*~'."),
    ] = False,
    no_post_process: Annotated[
        bool, typer.Option("--no-post-process", help="Do NOT post-process collected files.")
    ] = False,
    verbosity: Annotated[
        int,
        typer.Option("--verbosity", "-v", min=0, max=3, help="0 silent, 1 normal, 2 every file."),
    ] = 1,
) -> None:
    """Collect static files in a single location (STATIC_ROOT)."""
    storage = staticfiles_storage()
    destination = storage.path("")  # ImproperlyConfigured without STATIC_ROOT
    if not noinput:
        _confirm(destination, clear=clear, dry_run=dry_run)
    patterns = list(ignore or [])
    config = apps.get_app_config("staticfiles")
    if not no_default_ignore and isinstance(config, StaticFilesConfig):
        patterns += config.ignore_patterns
    report = _Report(destination)
    log = _Log(verbosity)
    if clear:
        _clear(destination, report, log, dry_run=dry_run)
    collected = _collect(storage, patterns, report, log, dry_run=dry_run)
    if not no_post_process:
        _post_process(storage, collected, report, log, dry_run=dry_run)
    if verbosity >= 1:
        _console.print("\n" + report.summary(), markup=False)


class _Log:
    def __init__(self, verbosity: int) -> None:
        self.verbosity = verbosity

    def __call__(self, message: str, level: int = 2) -> None:
        if self.verbosity >= level:
            _console.print(message, markup=False)


def _confirm(destination: Path, *, clear: bool, dry_run: bool) -> None:
    if not (destination.is_dir() and any(destination.iterdir())):
        return
    lines = [""]
    if dry_run:
        lines.append("You have activated the --dry-run option so no files will be modified.\n")
    lines.append(
        "You have requested to collect static files at the destination\n"
        f"location as specified in your settings:\n\n    {destination}\n"
    )
    lines.append(
        "This will DELETE ALL FILES in this location!"
        if clear
        else "This will overwrite existing files!"
    )
    lines.append("Are you sure you want to do this?\n")
    _console.print("\n".join(lines), markup=False)
    try:
        answer = input("Type 'yes' to continue, or 'no' to cancel: ")
    except EOFError:  # no terminal to answer from: pass --noinput
        answer = ""
    if answer != "yes":
        raise SystemExit("Collecting static files cancelled.")


def _clear(destination: Path, report: _Report, log: _Log, *, dry_run: bool) -> None:
    if not destination.is_dir():
        return
    for path in sorted(destination.rglob("*"), reverse=True):  # files before their folders
        relative = path.relative_to(destination).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not dry_run:
                path.rmdir()
            continue
        report.deleted.append(relative)
        log(f"Pretending to delete '{relative}'" if dry_run else f"Deleting '{relative}'")
        if not dry_run:
            path.unlink()


def _collect(
    storage: Storage, patterns: list[str], report: _Report, log: _Log, *, dry_run: bool
) -> dict[str, Path]:
    """Copy what the finders list into the storage; the first file found for a path wins.
    Returns path → source file, for post-processing."""
    found: dict[str, Path] = {}
    for finder in get_finders():
        for path, source in finder.list(patterns):
            if path in found:
                report.skipped.append(path)
                log(
                    f"Found another file with the destination path '{path}'. It will be "
                    "ignored since only the first encountered file is collected. If this is "
                    "not what you want, make sure every static file has a unique path."
                )
            else:
                found[path] = source
    with _progress(len(found), "Collecting") as advance:
        for path, source in found.items():
            _copy(storage, path, source, report, log, dry_run=dry_run)
            advance()
    return found


def _copy(
    storage: Storage, path: str, source: Path, report: _Report, log: _Log, *, dry_run: bool
) -> None:
    target = storage.path(path)
    if target.is_file() and int(target.stat().st_mtime) >= int(source.stat().st_mtime):
        report.unmodified.append(path)
        log(f"Skipping '{path}' (not modified)")
        return
    if dry_run:
        log(f"Pretending to copy '{source}'", level=1)
    else:
        log(f"Copying '{source}'")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # a file left by a previous run, maybe read-only
        shutil.copyfile(source, target)
    report.copied.append(path)


def _post_process(
    storage: Storage, collected: dict[str, Path], report: _Report, log: _Log, *, dry_run: bool
) -> None:
    processing = storage.post_process(collected, dry_run=dry_run)
    with _progress(len(collected), "Post-processing") as advance:
        while True:
            try:
                done = next(processing, None)
            except (ValueError, OSError) as exc:
                raise SystemExit(f"Post-processing failed: {exc}") from exc
            if done is None:
                break
            if done.processed:
                log(f"Post-processed '{done.name}' as '{done.stored_name}'")
                report.post_processed.append(done.name)
            else:
                log(f"Skipped post-processing '{done.name}'", level=3)
            advance()


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[], None]]:
    """A Rich progress bar at a terminal; nothing when the output is piped or logged."""
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn())
    disable = not _console.is_terminal or total == 0
    with Progress(*columns, console=_console, transient=True, disable=disable) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
