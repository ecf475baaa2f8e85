"""Helpers of the cache tests: building caches, the shared Redis database a run claims, and
calling an operation in its sync or async form."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from djanco.conf import CacheSettings
from djanco.core.cache import BaseCache
from djanco.utils.module_loading import import_string

SHARED_REDIS = ("127.0.0.1", 6379)
LOCMEM = "djanco.core.cache.backends.locmem.LocMemCache"
REDIS = "djanco.core.cache.backends.redis.RedisCache"
DATABASE = "djanco.db.cache.DatabaseCache"


def make_cache(backend: str, location: str, **params: object) -> BaseCache:
    """A cache built as ``caches`` builds one from a CACHES entry."""
    settings = CacheSettings.model_validate({"BACKEND": backend, "LOCATION": location, **params})
    cls = import_string(backend)
    assert isinstance(cls, type) and issubclass(cls, BaseCache)
    return cls(location, settings)


@contextmanager
def claimed_redis_database() -> Iterator[str]:
    """A URL of a database (1-15) of the machine's shared Redis that no other test run is
    using: claimed with a key in database 0, emptied and released afterwards."""
    import redis

    try:
        socket.create_connection(SHARED_REDIS, timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    host, port = SHARED_REDIS
    claims = redis.Redis(host=host, port=port, db=0)
    owner = f"djanco-tests-{os.getpid()}"
    for number in range(15, 0, -1):
        claim = f"djanco-tests:redis-db:{number}"
        if claims.set(claim, owner, nx=True, ex=3600):
            break
    else:
        pytest.skip("every Redis database 1-15 is claimed by another test run")
    url = f"redis://{host}:{port}/{number}"
    data = redis.Redis.from_url(url)
    data.flushdb()
    try:
        yield url
    finally:
        data.flushdb()
        data.close()
        claims.delete(claim)
        claims.close()


class Api:
    """Calls a cache operation in the form under test: the sync one (in a worker thread, as
    a sync view runs) or the ``a``-prefixed async one."""

    def __init__(self, cache: BaseCache, form: str) -> None:
        self.cache = cache
        self.form = form

    async def __call__(self, name: str, *args: object, **kwargs: object) -> object:
        if self.form == "async":
            result: object = await getattr(self.cache, "a" + name)(*args, **kwargs)
            return result
        return await asyncio.to_thread(getattr(self.cache, name), *args, **kwargs)
