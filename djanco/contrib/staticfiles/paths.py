"""Relative static file paths, as requests, templates and the command line give them: which
are safe to look up under a root, and which files a listing leaves out."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

__all__ = ["list_files", "safe_join", "unsafe_reason"]


def unsafe_reason(path: str) -> str | None:
    """Why ``path`` may not be looked up under a root, or None if it may.

    Refused: a NUL character, a backslash (a separator on Windows), an absolute path
    (``/etc/passwd``, ``C:x``), and a ``..`` segment, so that no path can name a file outside
    the root it is joined to, whatever the operating system.
    """
    if "\x00" in path:
        return "contains a NUL character"
    if "\\" in path:
        return "contains a backslash"
    if path.startswith("/") or PurePosixPath(path).is_absolute() or _has_drive(path):
        return "is absolute"
    if ".." in path.split("/"):
        return "has a '..' segment"
    return None


def _has_drive(path: str) -> bool:
    head = path.split("/", 1)[0]
    return len(head) >= 2 and head[1] == ":" and head[0].isalpha()


def safe_join(root: Path, path: str) -> Path | None:
    """``root / path`` if ``path`` is safe (see ``unsafe_reason``), else None. The result is
    lexically inside ``root``; symlinks placed inside ``root`` are followed, as in Django."""
    if unsafe_reason(path) is not None:
        return None
    base = Path(os.path.normpath(root))
    joined = Path(os.path.normpath(base / path))
    return joined if joined.is_relative_to(base) else None


def list_files(root: Path, ignore_patterns: Sequence[str]) -> Iterator[str]:
    """The files under ``root`` as relative POSIX paths, sorted, skipping each file or
    directory whose name (or relative path) matches a glob pattern of ``ignore_patterns``."""
    for directory, subdirs, files in os.walk(root, followlinks=True):
        base = Path(directory).relative_to(root)
        subdirs[:] = sorted(
            name for name in subdirs if not _ignored((base / name).as_posix(), ignore_patterns)
        )
        for name in sorted(files):
            relative = (base / name).as_posix()
            if not _ignored(relative, ignore_patterns):
                yield relative


def _ignored(relative: str, patterns: Sequence[str]) -> bool:
    name = relative.rpartition("/")[2]
    return any(
        fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(relative, pattern)
        for pattern in patterns
    )
