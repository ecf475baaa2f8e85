"""ASGI apps mounted beside the views: an installed app can answer every request under a URL
prefix itself (the static files app serves ``STATIC_URL`` this way), before middleware and
URL resolution, as Django's development server hands static files to their own handler."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Scope

from djanco.conf import on_setting_changed

__all__ = ["Mount", "MountFactory", "mounted_app", "register_mount"]


@dataclass(frozen=True, slots=True)
class Mount:
    """Requests whose path (after the ASGI ``root_path``) starts with ``prefix`` go to ``app``,
    with the scope unchanged."""

    prefix: str
    """A path ending in "/", e.g. ``"/static/"``."""
    app: ASGIApp

    def __post_init__(self) -> None:
        if not (self.prefix.startswith("/") and self.prefix.endswith("/")):
            raise ValueError(f"A mount prefix starts and ends with '/', not {self.prefix!r}.")


MountFactory = Callable[[], Mount | None]
"""Gives the mount to use with the current settings, or None for none."""

_lock = threading.Lock()
_factories: dict[str, MountFactory] = {}
_mounts: tuple[Mount, ...] | None = None


def register_mount(name: str, factory: MountFactory) -> None:
    """Mount what ``factory()`` gives in front of the views of every Djanco ASGI app.

    For an installed app: call it from ``AppConfig.ready()``. ``factory`` is called on the
    first request and again after any setting changes, so it reads the settings it needs
    when called and returns None when nothing is to be mounted. Registering ``name`` again
    replaces the factory.
    """
    global _mounts
    with _lock:
        _factories[name] = factory
        _mounts = None


def mounted_app(scope: Scope) -> ASGIApp | None:
    """The app mounted at a prefix of the request's path, if any (the longest prefix wins)."""
    mounts = _mounts if _mounts is not None else _build()
    if not mounts:
        return None
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    for mount in mounts:
        if path.startswith(mount.prefix):
            return mount.app
    return None


def _build() -> tuple[Mount, ...]:
    global _mounts
    with _lock:
        found = [mount for factory in _factories.values() if (mount := factory()) is not None]
        _mounts = tuple(sorted(found, key=lambda mount: len(mount.prefix), reverse=True))
        return _mounts


def _reset(name: str) -> None:
    global _mounts
    _mounts = None


on_setting_changed(_reset)
