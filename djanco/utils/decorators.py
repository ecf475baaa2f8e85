"""Django's middleware-mode decorators: say whether a middleware factory is sync, async or both.

The chain reads the ``async_capable`` flag they set: a factory that is async-capable is given
an async ``get_response``; one that is not is given a blocking one and runs in a worker thread.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["async_only_middleware", "sync_and_async_middleware", "sync_only_middleware"]

_F = TypeVar("_F")


def sync_only_middleware(factory: _F) -> _F:
    """Mark ``factory`` as sync only: it gets a blocking ``get_response`` (Django's default)."""
    return _mark(factory, sync_capable=True, async_capable=False)


def async_only_middleware(factory: _F) -> _F:
    """Mark ``factory`` as async only: it gets an awaitable ``get_response``."""
    return _mark(factory, sync_capable=False, async_capable=True)


def sync_and_async_middleware(factory: _F) -> _F:
    """Mark ``factory`` as handling both; Djanco's chain is async, so it gets an async
    ``get_response`` (test it with ``inspect.iscoroutinefunction(get_response)``)."""
    return _mark(factory, sync_capable=True, async_capable=True)


def _mark(factory: _F, *, sync_capable: bool, async_capable: bool) -> _F:
    factory.sync_capable = sync_capable  # type: ignore[attr-defined]
    factory.async_capable = async_capable  # type: ignore[attr-defined]
    return factory
