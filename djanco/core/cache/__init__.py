"""The cache framework: ``caches[alias]`` and ``cache`` (the default), their backends and keys."""

from __future__ import annotations

from djanco.core.cache.backends.base import (
    DEFAULT_TIMEOUT,
    BaseCache,
    InvalidCacheBackendError,
    Timeout,
)
from djanco.core.cache.handler import DEFAULT_CACHE_ALIAS, CacheHandler, cache, caches
from djanco.core.cache.keys import CacheKeyWarning, InvalidCacheKey, default_key_func

__all__ = [
    "DEFAULT_CACHE_ALIAS",
    "DEFAULT_TIMEOUT",
    "BaseCache",
    "CacheHandler",
    "CacheKeyWarning",
    "InvalidCacheBackendError",
    "InvalidCacheKey",
    "Timeout",
    "cache",
    "caches",
    "default_key_func",
]
