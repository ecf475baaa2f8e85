"""The process-wide settings: loaded on first use, replaceable with ``configure()``."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import cast

from djanco.conf.discovery import SETTINGS_ENV, find_settings_module
from djanco.conf.loading import load_settings
from djanco.conf.settings import Settings
from djanco.conf.signals import notify_setting_changed, on_setting_changed
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.suggest import did_you_mean

_lock = threading.RLock()
_current: Settings | None = None
_loading: str | None = None
_version = 0  # bumped on every change, so a read racing a change never caches a stale value


def configure(module: str | None = None) -> Settings:
    """Load settings from ``module`` (default: wherever ``find_settings_module()`` finds them)
    and make them current, replacing earlier ones; listeners hear of every changed setting."""
    global _loading
    with _lock:
        if _loading is not None:
            raise ImproperlyConfigured(
                f"Settings module {_loading!r} uses djanco.conf.settings while it is being "
                "loaded; compute its values with plain Python instead."
            )
        name = module or find_settings_module()
        if name is None:
            raise ImproperlyConfigured(_not_configured_message())
        _loading = name
        try:
            new = load_settings(name)
        finally:
            _loading = None
        _replace(new)
    return new


def is_configured() -> bool:
    """True once settings are loaded (by ``configure()`` or a first attribute read)."""
    return _current is not None


def _replace(new: Settings | None) -> None:
    """Make ``new`` current and tell listeners which settings differ from the previous ones."""
    global _current, _version
    with _lock:
        old, _current = _current, new
        _version += 1
        _proxy.__dict__.clear()
    if old is None or new is None:
        return  # nothing can have been cached from settings that did not exist
    for field in Settings.model_fields:
        if getattr(old, field) != getattr(new, field):
            notify_setting_changed(field)


def _live() -> Settings:
    current = _current
    if current is not None:
        return current
    with _lock:
        if _current is not None:
            return _current
        return configure()


def _not_configured_message() -> str:
    return (
        f"Settings are not configured: set {SETTINGS_ENV} to your settings module (for example "
        'mysite.settings), pass --settings, or add [tool.djanco] settings = "mysite.settings" '
        f"to your project's pyproject.toml (searched from {Path.cwd()} upwards)."
    )


class UnknownSettingError(AttributeError):
    """Reading a setting that does not exist. The message names the closest setting itself,
    so Python's own "Did you mean" is off (a traceback would otherwise show it twice)."""

    __module__ = "djanco.conf"

    @property
    def name(self) -> None:
        return None

    @name.setter
    def name(self, value: object) -> None:
        pass


class _LazySettings:
    """Stands in for the current Settings; each setting read is cached on the instance, so
    a hot-path read is one dict lookup. Changes evict the cached copy."""

    def __getattr__(self, name: str) -> object:
        # Reached only on a cache miss. Private names never trigger loading, so tools that
        # probe objects (pytest, copy, inspect) cannot load settings by accident.
        if name.startswith("_") and _current is None:
            raise AttributeError(name)
        version = _version
        live = _live()
        try:
            value: object = getattr(live, name)
        except AttributeError:
            if name.startswith("_"):
                raise
            hint = did_you_mean(name, Settings.model_fields)
            raise UnknownSettingError(f"Unknown setting {name!r}.{hint}") from None
        if name.isupper() and version == _version:
            self.__dict__[name] = value
            if version != _version:  # a change slipped in between: drop what we stored
                self.__dict__.pop(name, None)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        setattr(_live(), name, value)  # Settings notifies, which evicts our cached copy

    def __delattr__(self, name: str) -> None:
        delattr(_live(), name)

    def __dir__(self) -> list[str]:
        return dir(_live())

    def __repr__(self) -> str:
        if _current is None:
            return "<LazySettings: not configured>"
        return f"<LazySettings: {_current.SETTINGS_MODULE or 'configured'}>"


_proxy = _LazySettings()
settings: Settings = cast(Settings, _proxy)
"""The current settings, typed as Settings; loaded on the first attribute read."""


def _evict(name: str) -> None:
    global _version
    _version += 1
    _proxy.__dict__.pop(name, None)


on_setting_changed(_evict)
