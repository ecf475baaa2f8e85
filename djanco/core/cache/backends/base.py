"""``BaseCache``: the cache API (Django's), each operation written once as a flow.

A backend implements the ``*_flow`` methods on keys that are already made (prefix, version)
and validated; each yields its blocking steps (a Redis command, a SQL statement), or none
(local memory). ``BaseCache`` drives a flow with ``run()`` for ``get()`` and with ``arun()``
for ``aget()``, so the sync and async forms of every operation share one implementation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Literal, TypeAlias, TypeVar, cast, overload

from djanco.conf import CacheSettings
from djanco.core.cache.keys import KeyFunction, get_key_func, warn_about_key
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.flow import Flow, arun, done, run

__all__ = [
    "DEFAULT_TIMEOUT",
    "MISSING",
    "BaseCache",
    "Expiry",
    "InvalidCacheBackendError",
    "Timeout",
]

_T = TypeVar("_T")


class _Default(enum.Enum):
    TIMEOUT = "default timeout"


DEFAULT_TIMEOUT: Final = _Default.TIMEOUT
"""Passed as ``timeout`` (the default), it means the cache's own TIMEOUT."""

Timeout: TypeAlias = float | Literal[_Default.TIMEOUT] | None
"""Seconds an entry lives; ``None`` forever, ``0`` (or less) not stored at all."""

Expiry: TypeAlias = float | None
"""What a backend's flows receive: seconds from now (``<= 0``: do not keep) or ``None``."""


class _Missing(enum.Enum):
    MISSING = "missing"


MISSING: Final = _Missing.MISSING
"""The default a flow is given to tell "no entry" from a stored ``None``."""


class InvalidCacheBackendError(ImproperlyConfigured):
    """A CACHES entry names a backend that cannot be imported, or an unknown alias is used."""


class BaseCache:
    """A cache: ``cache.get(key)``, ``await cache.aget(key)`` and the rest of Django's API.

    Keys are strings, made into the stored key by KEY_FUNCTION with KEY_PREFIX and the
    version; values are any picklable object. Subclasses implement the ``*_flow`` methods.
    """

    def __init__(self, location: str | list[str], params: CacheSettings) -> None:
        self.location = location
        self.default_timeout: float | None = params.TIMEOUT
        self.key_prefix = params.KEY_PREFIX
        self.version = params.VERSION
        self.key_func: KeyFunction = get_key_func(params.KEY_FUNCTION)
        self._max_entries = _int_option(params.OPTIONS, "MAX_ENTRIES", 300, minimum=1)
        self._cull_frequency = _int_option(params.OPTIONS, "CULL_FREQUENCY", 3, minimum=0)

    # -- keys and timeouts -----------------------------------------------------------------
    def make_key(self, key: str, version: int | None = None) -> str:
        """The stored key for ``key`` (KEY_FUNCTION with KEY_PREFIX and the version)."""
        return self.key_func(key, self.key_prefix, self.version if version is None else version)

    def validate_key(self, key: str) -> None:
        """Warn (``CacheKeyWarning``) about a made key memcached would refuse, so code that
        works on one backend keeps working on the others."""
        warn_about_key(key)

    def make_and_validate_key(self, key: str, version: int | None = None) -> str:
        made = self.make_key(key, version)
        self.validate_key(made)
        return made

    def expiry(self, timeout: Timeout) -> Expiry:
        """``timeout`` as a backend's flows receive it (the default resolved)."""
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    # -- what a backend implements ---------------------------------------------------------
    def get_flow(self, key: str, default: object) -> Flow[object]:
        raise NotImplementedError("subclasses of BaseCache must provide get_flow()")

    def set_flow(self, key: str, value: object, expiry: Expiry) -> Flow[None]:
        raise NotImplementedError("subclasses of BaseCache must provide set_flow()")

    def add_flow(self, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        raise NotImplementedError("subclasses of BaseCache must provide add_flow()")

    def touch_flow(self, key: str, expiry: Expiry) -> Flow[bool]:
        raise NotImplementedError("subclasses of BaseCache must provide touch_flow()")

    def delete_flow(self, key: str) -> Flow[bool]:
        raise NotImplementedError("subclasses of BaseCache must provide delete_flow()")

    def clear_flow(self) -> Flow[None]:
        raise NotImplementedError("subclasses of BaseCache must provide clear_flow()")

    def has_key_flow(self, key: str) -> Flow[bool]:
        return (yield from self.get_flow(key, MISSING)) is not MISSING

    def get_many_flow(self, keys: list[str]) -> Flow[dict[str, object]]:
        """Values by made key; missing keys are left out."""
        found: dict[str, object] = {}
        for key in keys:
            value = yield from self.get_flow(key, MISSING)
            if value is not MISSING:
                found[key] = value
        return found

    def set_many_flow(self, data: dict[str, object], expiry: Expiry) -> Flow[list[str]]:
        """Returns the keys that could not be stored."""
        for key, value in data.items():
            yield from self.set_flow(key, value, expiry)
        return []

    def delete_many_flow(self, keys: list[str]) -> Flow[None]:
        for key in keys:
            yield from self.delete_flow(key)

    def incr_flow(self, key: str, delta: int) -> Flow[int]:
        """Add ``delta`` to the stored number; ValueError if there is none. Not atomic here:
        backends that can do better (Redis, local memory) override it."""
        value = yield from self.get_flow(key, MISSING)
        if value is MISSING:
            raise ValueError(f"Key {key!r} not found")
        new_value = cast(int, value) + delta
        yield from self.set_flow(key, new_value, self.default_timeout)
        return new_value

    def close_flow(self) -> Flow[None]:
        return done(None)

    # -- composite operations, written once ------------------------------------------------
    def _get_or_set(
        self, key: str, default: object, timeout: Timeout, version: int | None
    ) -> Flow[object]:
        made = self.make_and_validate_key(key, version)
        value = yield from self.get_flow(made, MISSING)
        if value is not MISSING:
            return value
        if callable(default):
            default = default()
        yield from self.add_flow(made, default, self.expiry(timeout))
        # Read again: another process may have added its value between the get and the add.
        return (yield from self.get_flow(made, default))

    def _get_many(self, keys: Iterable[str], version: int | None) -> Flow[dict[str, object]]:
        by_made = {self.make_and_validate_key(key, version): key for key in keys}
        if not by_made:
            return {}
        found = yield from self.get_many_flow(list(by_made))
        return {by_made[made]: value for made, value in found.items()}

    def _set_many(
        self, data: Mapping[str, object], timeout: Timeout, version: int | None
    ) -> Flow[list[str]]:
        by_made = {self.make_and_validate_key(key, version): key for key in data}
        if not by_made:
            return []
        made_data = {made: data[key] for made, key in by_made.items()}
        failed = yield from self.set_many_flow(made_data, self.expiry(timeout))
        return [by_made[made] for made in failed]

    def _incr_version(self, key: str, delta: int, version: int | None) -> Flow[int]:
        version = self.version if version is None else version
        old = self.make_and_validate_key(key, version)
        value = yield from self.get_flow(old, MISSING)
        if value is MISSING:
            raise ValueError(f"Key {key!r} not found")
        yield from self.set_flow(self.make_and_validate_key(key, version + delta), value, None)
        yield from self.delete_flow(old)
        return version + delta

    def _incr(self, key: str, delta: int, version: int | None) -> Flow[int]:
        made = self.make_and_validate_key(key, version)
        try:
            return (yield from self.incr_flow(made, delta))
        except ValueError:
            raise ValueError(f"Key {key!r} not found") from None

    # -- the API: each operation's sync and async form drive the same flow ------------------
    def get(self, key: str, default: object = None, version: int | None = None) -> object:
        """The value stored under ``key``, or ``default`` when there is none (or it expired)."""
        return run(self.get_flow(self.make_and_validate_key(key, version), default))

    async def aget(self, key: str, default: object = None, version: int | None = None) -> object:
        return await arun(self.get_flow(self.make_and_validate_key(key, version), default))

    def set(
        self,
        key: str,
        value: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        """Store ``value`` under ``key`` for ``timeout`` seconds (default: the cache's TIMEOUT;
        ``None``: until evicted; ``0``: not stored, and an earlier value is removed)."""
        run(self.set_flow(self.make_and_validate_key(key, version), value, self.expiry(timeout)))

    async def aset(
        self,
        key: str,
        value: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        made = self.make_and_validate_key(key, version)
        await arun(self.set_flow(made, value, self.expiry(timeout)))

    def add(
        self,
        key: str,
        value: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        """Store ``value`` only if ``key`` has no live entry; whether it was stored."""
        made = self.make_and_validate_key(key, version)
        return run(self.add_flow(made, value, self.expiry(timeout)))

    async def aadd(
        self,
        key: str,
        value: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        made = self.make_and_validate_key(key, version)
        return await arun(self.add_flow(made, value, self.expiry(timeout)))

    @overload
    def get_or_set(
        self,
        key: str,
        default: Callable[[], _T],
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> _T: ...

    @overload
    def get_or_set(
        self, key: str, default: _T, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> _T: ...

    def get_or_set(
        self,
        key: str,
        default: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> object:
        """The value under ``key``; if there is none, store ``default`` (called first if it is
        callable) and return it. The stored value is taken to be of ``default``'s type."""
        return run(self._get_or_set(key, default, timeout, version))

    @overload
    async def aget_or_set(
        self,
        key: str,
        default: Callable[[], _T],
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> _T: ...

    @overload
    async def aget_or_set(
        self, key: str, default: _T, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> _T: ...

    async def aget_or_set(
        self,
        key: str,
        default: object,
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> object:
        return await arun(self._get_or_set(key, default, timeout, version))

    def touch(
        self, key: str, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Give ``key`` a new lifetime; False if it has no live entry."""
        made = self.make_and_validate_key(key, version)
        return run(self.touch_flow(made, self.expiry(timeout)))

    async def atouch(
        self, key: str, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        made = self.make_and_validate_key(key, version)
        return await arun(self.touch_flow(made, self.expiry(timeout)))

    def delete(self, key: str, version: int | None = None) -> bool:
        """Remove ``key``; whether there was an entry."""
        return run(self.delete_flow(self.make_and_validate_key(key, version)))

    async def adelete(self, key: str, version: int | None = None) -> bool:
        return await arun(self.delete_flow(self.make_and_validate_key(key, version)))

    def has_key(self, key: str, version: int | None = None) -> bool:
        """Whether ``key`` has a live entry."""
        return run(self.has_key_flow(self.make_and_validate_key(key, version)))

    async def ahas_key(self, key: str, version: int | None = None) -> bool:
        return await arun(self.has_key_flow(self.make_and_validate_key(key, version)))

    def __contains__(self, key: str) -> bool:
        return self.has_key(key)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, object]:
        """The live entries among ``keys``, by key (missing keys are left out)."""
        return run(self._get_many(keys, version))

    async def aget_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, object]:
        return await arun(self._get_many(keys, version))

    def set_many(
        self,
        data: Mapping[str, object],
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        """Store every item of ``data``; the keys that could not be stored."""
        return run(self._set_many(data, timeout, version))

    async def aset_many(
        self,
        data: Mapping[str, object],
        timeout: Timeout = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        return await arun(self._set_many(data, timeout, version))

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        """Remove every key of ``keys``."""
        run(self.delete_many_flow([self.make_and_validate_key(key, version) for key in keys]))

    async def adelete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        made = [self.make_and_validate_key(key, version) for key in keys]
        await arun(self.delete_many_flow(made))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to the number under ``key`` and return it; ValueError if there is none."""
        return run(self._incr(key, delta, version))

    async def aincr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return await arun(self._incr(key, delta, version))

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Subtract ``delta`` from the number under ``key`` and return it."""
        return run(self._incr(key, -delta, version))

    async def adecr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return await arun(self._incr(key, -delta, version))

    def incr_version(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Move the entry of ``key`` to version ``version + delta``; the new version."""
        return run(self._incr_version(key, delta, version))

    async def aincr_version(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return await arun(self._incr_version(key, delta, version))

    def decr_version(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Move the entry of ``key`` to version ``version - delta``; the new version."""
        return run(self._incr_version(key, -delta, version))

    async def adecr_version(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return await arun(self._incr_version(key, -delta, version))

    def clear(self) -> None:
        """Remove every entry of this cache (for Redis: of its database)."""
        run(self.clear_flow())

    async def aclear(self) -> None:
        await arun(self.clear_flow())

    def close(self) -> None:
        """Release connections (the next operation opens new ones)."""
        run(self.close_flow())

    async def aclose(self) -> None:
        await arun(self.close_flow())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} location={self.location!r}>"


def _int_option(options: Mapping[str, object], name: str, default: int, minimum: int) -> int:
    value = options.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ImproperlyConfigured(
            f"CACHES OPTIONS {name} must be an integer of at least {minimum}, not {value!r}."
        )
    return value
