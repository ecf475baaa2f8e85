"""The dummy cache: stores nothing, so every read misses (for development without caching)."""

from __future__ import annotations

from djanco.core.cache.backends.base import BaseCache, Expiry
from djanco.utils.flow import Flow, done

__all__ = ["DummyCache"]


class DummyCache(BaseCache):
    """``BACKEND: "djanco.core.cache.backends.dummy.DummyCache"``: implements the API, keeps
    nothing."""

    def get_flow(self, key: str, default: object) -> Flow[object]:
        return done(default)

    def set_flow(self, key: str, value: object, expiry: Expiry) -> Flow[None]:
        return done(None)

    def add_flow(self, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        return done(True)

    def touch_flow(self, key: str, expiry: Expiry) -> Flow[bool]:
        return done(False)

    def delete_flow(self, key: str) -> Flow[bool]:
        return done(False)

    def clear_flow(self) -> Flow[None]:
        return done(None)
