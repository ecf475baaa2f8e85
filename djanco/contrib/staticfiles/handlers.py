"""Serving static files under STATIC_URL, mounted beside the views: with DEBUG from the
finders (the development server), without DEBUG from STATIC_ROOT (``djanco serve``), with
far-future cache headers for content-hashed names.

Starlette's ``StaticFiles`` does the serving (HEAD, ranges, ETag and Last-Modified with
304s); paths are checked here first, so none can reach outside the directories served.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from djanco.apps import apps
from djanco.conf import settings
from djanco.contrib.staticfiles.finders import find
from djanco.contrib.staticfiles.paths import unsafe_reason
from djanco.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from djanco.http import Mount

__all__ = ["CollectedStaticFiles", "FinderStaticFiles", "static_mount"]

APP_NAME = "djanco.contrib.staticfiles"
FOREVER = "public, max-age=315360000, immutable"
"""Cache-Control of a content-hashed file: its name changes whenever its content does."""
BRIEFLY = "public, max-age=60"
"""Cache-Control of any other collected file, which may change under the same name."""


class _StaticFiles(StaticFiles):
    """Starlette's StaticFiles answering the paths under ``prefix``; unsafe ones are refused
    before any lookup (400 for a NUL character, else 404) and HTTP errors become responses
    (it is mounted outside any Starlette app that would catch them)."""

    def __init__(self, prefix: str, directory: Path | None = None) -> None:
        super().__init__(directory=directory, check_dir=False)
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        relative = path.removeprefix(root).removeprefix(self.prefix)
        reason = unsafe_reason(relative)
        response: Response
        if reason is not None:
            status = 400 if "\x00" in relative else 404
            response = PlainTextResponse(f"The path {reason}.", status)
        else:
            try:
                response = await self.get_response(relative, scope)
            except HTTPException as exc:
                response = PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)
        await response(scope, receive, send)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        cache_control = self.cache_control(os.fspath(full_path))
        if cache_control:
            response.headers["Cache-Control"] = cache_control
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def cache_control(self, file: str) -> str | None:
        """The Cache-Control header for the file at ``file``; None for none."""
        return None


class FinderStaticFiles(_StaticFiles):
    """The files the finders find (STATICFILES_DIRS, the apps' ``static/``), as they are:
    what ``runserver`` serves with DEBUG, so edits show on the next reload."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        found = find(path)
        return (str(found), found.stat()) if found is not None else ("", None)


class CollectedStaticFiles(_StaticFiles):
    """The files in STATIC_ROOT: what ``djanco serve`` serves. Names the manifest lists as
    content-hashed are cached for a year (``immutable``), the others for a minute."""

    @cached_property
    def _hashed(self) -> frozenset[str]:
        # Read on the first file served, so a broken manifest fails static requests only.
        storage = staticfiles_storage()
        hashed = storage.hashed_files if isinstance(storage, ManifestStaticFilesStorage) else {}
        root = Path(self.directory or "")
        # Starlette looks files up by their real path, symlinks resolved.
        return frozenset(os.path.realpath(root / name) for name in hashed.values())

    def cache_control(self, file: str) -> str | None:
        return FOREVER if file in self._hashed else BRIEFLY


def static_mount() -> Mount | None:
    """The mount serving STATIC_URL for the current settings; None when the app is not
    installed, STATIC_URL is not a local path, or (without DEBUG) STATIC_ROOT is unset."""
    if not (apps.ready and apps.is_installed(APP_NAME)):
        return None
    prefix = settings.STATIC_URL
    if not prefix or "://" in prefix or prefix.startswith("//"):
        return None  # served by another host
    prefix = "/" + prefix.lstrip("/")
    if settings.DEBUG:
        return Mount(prefix, FinderStaticFiles(prefix))
    if settings.STATIC_ROOT is not None:
        return Mount(prefix, CollectedStaticFiles(prefix, settings.STATIC_ROOT))
    return None
