"""ManifestStaticFilesStorage: collected files also get content-hashed copies
(``css/site.4ab1ef3c2d10.css``), listed in ``staticfiles.json``, which ``static()`` uses."""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path

from djanco.conf import settings
from djanco.contrib.staticfiles.storage.base import PostProcessed
from djanco.contrib.staticfiles.storage.filesystem import StaticFilesStorage
from djanco.contrib.staticfiles.storage.references import (
    find_references,
    has_references,
    rewrite,
    split_url,
)

__all__ = ["ManifestStaticFilesStorage"]

_MANIFEST_VERSION = "1.1"  # Django's format, so tools reading Django's manifest read ours


class ManifestStaticFilesStorage(StaticFilesStorage):
    """As Django's: ``collectstatic`` stores each file also as ``name.<hash>.ext`` (the first
    12 hex digits of the MD5 of its content), CSS and source map references rewritten to
    those names, and writes the manifest. ``url()`` then gives the hashed name; with DEBUG
    the plain one, as the development server serves files as they are.

    A name missing from the manifest raises ValueError (``manifest_strict``); with
    ``manifest_strict = False`` the file in STATIC_ROOT is hashed instead.
    """

    manifest_name = "staticfiles.json"
    manifest_strict = True

    def __init__(self, location: Path | str | None = None, base_url: str | None = None) -> None:
        super().__init__(location, base_url)
        self._hashed_files: dict[str, str] | None = None

    @property
    def hashed_files(self) -> dict[str, str]:
        """Collected name → hashed name, read from the manifest once (empty without one)."""
        if self._hashed_files is None:
            self._hashed_files = self._load_manifest()
        return self._hashed_files

    def url(self, name: str) -> str:
        """The URL of ``name``, hashed unless DEBUG is on; a query or fragment is kept."""
        path, rest = split_url(name)
        return super().url(path if settings.DEBUG else self.stored_name(path)) + rest

    def stored_name(self, name: str) -> str:
        """The hashed name the file ``name`` is stored under."""
        path = posixpath.normpath(name.lstrip("/"))
        stored = self.hashed_files.get(path)
        if stored is None:
            if self.manifest_strict:
                raise ValueError(self._missing_entry(path))
            stored = hashed_name(path, self.path(path).read_bytes())
        return stored

    def post_process(
        self, collected: Mapping[str, Path], *, dry_run: bool = False
    ) -> Iterator[PostProcessed]:
        """Store a hashed copy of every collected file, then write the manifest.

        Files referring to others (CSS, source maps) are rewritten once what they refer to
        is hashed, so a referenced file's hash is part of the referring file's name. A
        reference to a file that was not collected, or a cycle of references, raises
        ValueError naming the files.
        """
        if dry_run:
            return
        hashed: dict[str, str] = {}
        for name in sorted(collected):
            if not has_references(name):
                stored, written = self._store(name, collected[name].read_bytes())
                hashed[name] = stored
                yield PostProcessed(name, stored, written)
        for name in sorted(collected):
            if has_references(name):
                yield from self._store_with_references(name, collected, hashed, [])
        self._hashed_files = hashed
        self._save_manifest(hashed)

    def _store_with_references(
        self,
        name: str,
        collected: Mapping[str, Path],
        hashed: dict[str, str],
        chain: list[str],
    ) -> Iterator[PostProcessed]:
        if name in hashed:
            return
        if name in chain:
            cycle = " -> ".join([*chain[chain.index(name) :], name])
            raise ValueError(f"Static files refer to each other in a cycle: {cycle}.")
        source = collected[name]
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{name!r} ({source}) is not UTF-8 text: {exc}") from exc
        references = find_references(name, text)
        for reference in references:
            if reference.target not in collected:
                raise ValueError(
                    f"{name!r} refers to {reference.url!r}, but no static file "
                    f"{reference.target!r} was collected."
                )
            if has_references(reference.target):
                yield from self._store_with_references(
                    reference.target, collected, hashed, [*chain, name]
                )
        content = rewrite(text, references, hashed.__getitem__).encode("utf-8")
        stored, written = self._store(name, content)
        hashed[name] = stored
        yield PostProcessed(name, stored, written)

    def _store(self, name: str, content: bytes) -> tuple[str, bool]:
        """Write ``content`` as the hashed copy of ``name``; False if it was there already."""
        stored = hashed_name(name, content)
        target = self.path(stored)
        if target.is_file():
            return stored, False
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return stored, True

    def _load_manifest(self) -> dict[str, str]:
        if self.location is None:
            return {}
        manifest = self.location / self.manifest_name
        try:
            stored = json.loads(manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"Couldn't load manifest {str(manifest)!r}: {exc}") from exc
        paths = stored.get("paths") if isinstance(stored, dict) else None
        if not isinstance(paths, dict) or stored.get("version") not in ("1.0", "1.1"):
            raise ValueError(
                f"Couldn't load manifest {str(manifest)!r} (version {_MANIFEST_VERSION})."
            )
        return {str(key): str(value) for key, value in paths.items()}

    def _save_manifest(self, hashed: dict[str, str]) -> None:
        entries = sorted(hashed.items())
        payload = {
            "paths": dict(entries),
            "version": _MANIFEST_VERSION,
            "hash": _digest(json.dumps(entries).encode()),
        }
        self.path(self.manifest_name).write_text(json.dumps(payload), encoding="utf-8")

    def _missing_entry(self, name: str) -> str:
        message = f"Missing staticfiles manifest entry for {name!r}"
        if self.location is None or not (self.location / self.manifest_name).is_file():
            return f"{message}: there is no manifest yet; run `djanco collectstatic`."
        return (
            f"{message}: it was not among the files `djanco collectstatic` collected; check "
            "the name, or run collectstatic again."
        )


def hashed_name(name: str, content: bytes) -> str:
    """``"css/site.css"`` → ``"css/site.4ab1ef3c2d10.css"`` for that content."""
    directory, _, filename = name.rpartition("/")
    root, extension = posixpath.splitext(filename)
    hashed = f"{root}.{_digest(content)}{extension}"
    return f"{directory}/{hashed}" if directory else hashed


def _digest(content: bytes) -> str:
    return hashlib.md5(content, usedforsecurity=False).hexdigest()[:12]
