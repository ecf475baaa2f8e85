"""The local-memory cache (the default): per process, LRU-evicted past MAX_ENTRIES.

Values are pickled, so a caller changing an object after ``set()`` or ``get()`` never changes
the cached copy (as with every other backend). One lock guards each named cache; it is never
held across an ``await``, so threads and tasks can share the cache safely.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict

from djanco.conf import CacheSettings
from djanco.core.cache.backends.base import BaseCache, Expiry
from djanco.utils.flow import Flow, done

__all__ = ["LocMemCache"]


class _Store:
    """One named cache: pickled values, most recently used first, and their deadlines."""

    __slots__ = ("deadlines", "lock", "values")

    def __init__(self) -> None:
        self.values: OrderedDict[str, bytes] = OrderedDict()
        self.deadlines: dict[str, float | None] = {}
        self.lock = threading.Lock()


# Caches with the same LOCATION share entries, as in Django (e.g. two aliases, one store).
_stores: dict[str, _Store] = {}
_stores_lock = threading.Lock()


class LocMemCache(BaseCache):
    """``BACKEND: "djanco.core.cache.backends.locmem.LocMemCache"``; LOCATION names the store."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, location: str | list[str], params: CacheSettings) -> None:
        super().__init__(location, params)
        name = location if isinstance(location, str) else ",".join(location)
        with _stores_lock:
            self._store = _stores.setdefault(name, _Store())

    def _live(self, key: str, now: float) -> bool:
        """Whether ``key`` has an unexpired entry; an expired one is dropped. Lock held."""
        store = self._store
        if key not in store.deadlines:
            return False
        deadline = store.deadlines[key]
        if deadline is not None and deadline <= now:
            del store.values[key]
            del store.deadlines[key]
            return False
        return True

    def _store_value(self, key: str, pickled: bytes, expiry: Expiry) -> None:
        """Put an entry in, evicting the least recently used ones when full. Lock held."""
        store = self._store
        if key not in store.values and len(store.values) >= self._max_entries:
            self._cull()
        store.values[key] = pickled
        store.values.move_to_end(key, last=False)
        store.deadlines[key] = None if expiry is None else time.monotonic() + expiry

    def _cull(self) -> None:
        store = self._store
        if self._cull_frequency == 0:
            store.values.clear()
            store.deadlines.clear()
            return
        for _ in range(max(1, len(store.values) // self._cull_frequency)):
            key, _value = store.values.popitem()  # the least recently used
            del store.deadlines[key]

    def _delete_entry(self, key: str) -> bool:
        store = self._store
        if store.values.pop(key, None) is None:
            return False
        del store.deadlines[key]
        return True

    def get_flow(self, key: str, default: object) -> Flow[object]:
        with self._store.lock:
            if not self._live(key, time.monotonic()):
                return done(default)
            pickled = self._store.values[key]
            self._store.values.move_to_end(key, last=False)
        return done(pickle.loads(pickled))

    def set_flow(self, key: str, value: object, expiry: Expiry) -> Flow[None]:
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._store.lock:
            if expiry is not None and expiry <= 0:
                self._delete_entry(key)
            else:
                self._store_value(key, pickled, expiry)
        return done(None)

    def add_flow(self, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._store.lock:
            if self._live(key, time.monotonic()):
                return done(False)
            if expiry is None or expiry > 0:
                self._store_value(key, pickled, expiry)
        return done(True)

    def touch_flow(self, key: str, expiry: Expiry) -> Flow[bool]:
        with self._store.lock:
            now = time.monotonic()
            if not self._live(key, now):
                return done(False)
            if expiry is not None and expiry <= 0:
                self._delete_entry(key)
            else:
                self._store.deadlines[key] = None if expiry is None else now + expiry
        return done(True)

    def delete_flow(self, key: str) -> Flow[bool]:
        with self._store.lock:
            return done(self._delete_entry(key))

    def has_key_flow(self, key: str) -> Flow[bool]:
        with self._store.lock:
            return done(self._live(key, time.monotonic()))

    def incr_flow(self, key: str, delta: int) -> Flow[int]:
        # Under the lock, so concurrent increments are never lost.
        with self._store.lock:
            if not self._live(key, time.monotonic()):
                raise ValueError(f"Key {key!r} not found")
            new_value: int = pickle.loads(self._store.values[key]) + delta
            self._store.values[key] = pickle.dumps(new_value, self.pickle_protocol)
            self._store.values.move_to_end(key, last=False)
        return done(new_value)

    def clear_flow(self) -> Flow[None]:
        with self._store.lock:
            self._store.values.clear()
            self._store.deadlines.clear()
        return done(None)
