"""Static files storages: ``StaticFilesStorage`` (names unchanged) and
``ManifestStaticFilesStorage`` (content-hashed names), and the configured one,
``staticfiles_storage()``, which STORAGES["staticfiles"] names."""

from __future__ import annotations

import threading

from djanco.conf import on_setting_changed, settings
from djanco.contrib.staticfiles.storage.base import PostProcessed, Storage
from djanco.contrib.staticfiles.storage.filesystem import StaticFilesStorage
from djanco.contrib.staticfiles.storage.manifest import ManifestStaticFilesStorage
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.module_loading import import_string

__all__ = [
    "ManifestStaticFilesStorage",
    "PostProcessed",
    "StaticFilesStorage",
    "Storage",
    "staticfiles_storage",
]

ALIAS = "staticfiles"

_lock = threading.Lock()
_storage: Storage | None = None


def staticfiles_storage() -> Storage:
    """The storage STORAGES["staticfiles"] names, made with its OPTIONS on first use (and
    again after a setting changes)."""
    global _storage
    storage = _storage
    if storage is None:
        with _lock:
            storage = _storage = _storage or _make()
    return storage


def _make() -> Storage:
    config = settings.STORAGES.get(ALIAS)
    if config is None:
        raise ImproperlyConfigured(f"The STORAGES setting must define a {ALIAS!r} storage.")
    backend = import_string(config["BACKEND"])
    if not callable(backend):
        raise ImproperlyConfigured(
            f"STORAGES[{ALIAS!r}]['BACKEND'] is {config['BACKEND']!r}, which is not a class."
        )
    storage = backend(**config.get("OPTIONS", {}))
    if not isinstance(storage, Storage):
        raise ImproperlyConfigured(
            f"STORAGES[{ALIAS!r}]['BACKEND'] {config['BACKEND']!r} is not a static files "
            "storage (it needs location, path(), url() and post_process())."
        )
    return storage


def _reset(name: str) -> None:
    global _storage
    _storage = None


on_setting_changed(_reset)
