"""Cache keys: how a key, prefix and version become the stored key, and which keys are unsafe."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from typing import TypeAlias, cast

from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.module_loading import import_string

__all__ = [
    "MEMCACHE_MAX_KEY_LENGTH",
    "CacheKeyWarning",
    "InvalidCacheKey",
    "KeyFunction",
    "default_key_func",
    "get_key_func",
    "memcache_key_warnings",
    "warn_about_key",
]

MEMCACHE_MAX_KEY_LENGTH = 250
"""Memcached refuses longer keys; other backends warn so code stays portable."""

KeyFunction: TypeAlias = Callable[[str, str, int], str]
"""``f(key, key_prefix, version)`` → the key the backend stores."""

# Control characters and space: memcached's protocol cannot carry them in a key.
_MEMCACHE_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


class CacheKeyWarning(RuntimeWarning):
    """A key that would fail on memcached: too long, or with spaces or control characters."""


class InvalidCacheKey(ValueError):
    """A key the backend cannot store at all."""


def default_key_func(key: str, key_prefix: str, version: int) -> str:
    """``"prefix:version:key"``."""
    return f"{key_prefix}:{version}:{key}"


def get_key_func(key_func: str | KeyFunction | None) -> KeyFunction:
    """The KEY_FUNCTION setting as a function (a dotted path is imported)."""
    if key_func is None:
        return default_key_func
    if callable(key_func):
        return key_func
    found = import_string(key_func)
    if not callable(found):
        raise ImproperlyConfigured(f"KEY_FUNCTION {key_func!r} is not callable.")
    return cast(KeyFunction, found)


def memcache_key_warnings(key: str) -> Iterator[str]:
    """What is wrong with ``key`` for memcached, one message per problem."""
    if len(key) > MEMCACHE_MAX_KEY_LENGTH:
        yield (
            f"Cache key will cause errors if used with memcached: {key!r} "
            f"(longer than {MEMCACHE_MAX_KEY_LENGTH})"
        )
    if _MEMCACHE_UNSAFE.search(key):
        yield (
            f"Cache key contains characters that will cause errors if used with memcached: {key!r}"
        )


def warn_about_key(key: str) -> None:
    """Warn (``CacheKeyWarning``) about each memcached problem of ``key``."""
    for message in memcache_key_warnings(key):
        warnings.warn(message, CacheKeyWarning, stacklevel=5)
