"""Finders: where static files come from, as in Django. ``FileSystemFinder`` searches
STATICFILES_DIRS, ``AppDirectoriesFinder`` each installed app's ``static/`` folder, in
INSTALLED_APPS order; the first finder and location holding a path wins."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol, overload

from djanco.apps import apps
from djanco.conf import settings
from djanco.contrib.staticfiles.paths import list_files, safe_join

__all__ = ["AppDirectoriesFinder", "BaseFinder", "FileSystemFinder", "find", "get_finders"]


class BaseFinder(Protocol):
    """What a finder does: find one path, and list every file it has."""

    @property
    def locations(self) -> list[Path]:
        """The directories it searches, in order."""
        ...

    def find_all(self, path: str) -> list[Path]:
        """Every file ``path`` (relative, with "/" separators) names, in search order."""
        ...

    def list(self, ignore_patterns: Sequence[str]) -> Iterator[tuple[str, Path]]:
        """``(path, file)`` for every file, ``path`` being what ``find()`` takes for it."""
        ...


class _Location:
    """A directory whose files are found under ``prefix/`` (or at the top, without one)."""

    def __init__(self, root: Path, prefix: str = "") -> None:
        self.root, self.prefix = root, prefix

    def find(self, path: str) -> Path | None:
        if self.prefix:
            head, separator, path = path.partition("/")
            if head != self.prefix or not separator:
                return None
        candidate = safe_join(self.root, path)
        return candidate if candidate is not None and candidate.is_file() else None

    def list(self, ignore_patterns: Sequence[str]) -> Iterator[tuple[str, Path]]:
        if not self.root.is_dir():
            return
        for relative in list_files(self.root, ignore_patterns):
            shown = f"{self.prefix}/{relative}" if self.prefix else relative
            yield shown, self.root / relative


class _LocationsFinder:
    """A finder over a list of locations, searched in order."""

    def __init__(self, locations: list[_Location]) -> None:
        self._locations = locations

    @property
    def locations(self) -> list[Path]:
        return [location.root for location in self._locations]

    def find_all(self, path: str) -> list[Path]:
        return [found for location in self._locations if (found := location.find(path)) is not None]

    def list(self, ignore_patterns: Sequence[str]) -> Iterator[tuple[str, Path]]:
        for location in self._locations:
            yield from location.list(ignore_patterns)


class FileSystemFinder(_LocationsFinder):
    """The directories of STATICFILES_DIRS; a ``(prefix, directory)`` entry puts the files
    of ``directory`` under ``prefix/``."""

    def __init__(self) -> None:
        locations: list[_Location] = []
        for entry in settings.STATICFILES_DIRS:
            prefix, root = entry if isinstance(entry, tuple) else ("", entry)
            locations.append(_Location(root, prefix))
        super().__init__(locations)


class AppDirectoriesFinder(_LocationsFinder):
    """The ``static/`` folder of each installed app, in INSTALLED_APPS order."""

    def __init__(self) -> None:
        super().__init__(
            [
                _Location(config.static_dir)
                for config in apps.get_app_configs()
                if config.static_dir is not None
            ]
        )


def get_finders() -> list[BaseFinder]:
    """The finders, in search order: STATICFILES_DIRS first, then the apps."""
    return [FileSystemFinder(), AppDirectoriesFinder()]


@overload
def find(path: str, find_all: Literal[False] = False) -> Path | None: ...
@overload
def find(path: str, find_all: Literal[True]) -> list[Path]: ...
def find(path: str, find_all: bool = False) -> Path | list[Path] | None:
    """The file the static path ``path`` (e.g. ``"css/site.css"``) names: the first match, or
    None; with ``find_all``, every match in search order (a path that reaches outside the
    finders' directories matches nothing)."""
    matches: list[Path] = []
    for finder in get_finders():
        found = finder.find_all(path)
        if found and not find_all:
            return found[0]
        matches.extend(found)
    return matches if find_all else None
