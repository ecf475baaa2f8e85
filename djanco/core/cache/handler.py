"""``caches[alias]``: one cache object per CACHES entry, made on first use; ``cache`` is the
default one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import cast

from djanco.conf import on_setting_changed, settings
from djanco.core.cache.backends.base import BaseCache, InvalidCacheBackendError
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.module_loading import import_string

__all__ = ["DEFAULT_CACHE_ALIAS", "CacheHandler", "cache", "caches"]

DEFAULT_CACHE_ALIAS = "default"


class CacheHandler:
    """The caches of ``settings.CACHES`` by alias. Each is created once per process and
    shared by every thread and task (the backends are safe for that); changing CACHES
    replaces them."""

    def __init__(self) -> None:
        self._caches: dict[str, BaseCache] = {}
        self._lock = threading.Lock()

    def __getitem__(self, alias: str) -> BaseCache:
        try:
            return self._caches[alias]
        except KeyError:
            pass
        with self._lock:
            if alias not in self._caches:
                self._caches[alias] = self.create_connection(alias)
            return self._caches[alias]

    def create_connection(self, alias: str) -> BaseCache:
        """A new cache object for ``alias``, built from its CACHES entry."""
        params = settings.CACHES.get(alias)
        if params is None:
            raise InvalidCacheBackendError(
                f"The cache alias {alias!r} is not in CACHES (known: {', '.join(settings.CACHES)})."
            )
        try:
            backend = import_string(params.BACKEND)
        except (ImportError, ImproperlyConfigured) as exc:
            raise InvalidCacheBackendError(
                f"Could not find cache backend {params.BACKEND!r}: {exc}"
            ) from exc
        if not (isinstance(backend, type) and issubclass(backend, BaseCache)):
            raise InvalidCacheBackendError(
                f"Cache backend {params.BACKEND!r} is not a subclass of BaseCache."
            )
        return backend(params.LOCATION, params)

    def __iter__(self) -> Iterator[str]:
        return iter(settings.CACHES)

    def all(self, initialized_only: bool = False) -> list[BaseCache]:
        """Every configured cache (only those already used, with ``initialized_only``)."""
        if initialized_only:
            return list(self._caches.values())
        return [self[alias] for alias in self]

    def close_all(self) -> None:
        for cache in self.all(initialized_only=True):
            cache.close()

    async def aclose_all(self) -> None:
        for cache in self.all(initialized_only=True):
            await cache.aclose()

    def _setting_changed(self, name: str) -> None:
        if name == "CACHES":
            with self._lock:
                self._caches.clear()


caches = CacheHandler()
"""``caches["default"]``, ``caches["sessions"]``: the cache of each CACHES alias."""

on_setting_changed(caches._setting_changed)


class _DefaultCache:
    """Stands in for ``caches["default"]``, looked up on each use (so it follows CACHES)."""

    def __getattr__(self, name: str) -> object:
        return getattr(caches[DEFAULT_CACHE_ALIAS], name)

    def __contains__(self, key: str) -> bool:
        return key in caches[DEFAULT_CACHE_ALIAS]

    def __repr__(self) -> str:
        return f"<cache: {caches[DEFAULT_CACHE_ALIAS]!r}>"


cache: BaseCache = cast(BaseCache, _DefaultCache())
"""The default cache: ``from djanco.core.cache import cache; cache.set("k", 1)``."""
