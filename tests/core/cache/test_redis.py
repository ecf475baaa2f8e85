"""The Redis cache against real servers: the machine's shared Redis (a database claimed for
this run) for the shared behaviour, and a private redis-server a test may kill."""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterator

import pytest
import redis

from djanco.core.cache import BaseCache
from tests.cli.conftest import free_port
from tests.core.cache.contract import CacheContract, Sibling
from tests.core.cache.support import REDIS, Api, make_cache
from tests.private_servers import PrivateRedis

_prefixes = itertools.count()


@pytest.fixture
def prefix() -> str:
    """Unique per test, so tests never see each other's keys."""
    return f"t{os.getpid()}-{next(_prefixes)}"


@pytest.fixture
def cache(shared_redis_url: str, prefix: str) -> Iterator[BaseCache]:
    cache = make_cache(REDIS, shared_redis_url, KEY_PREFIX=prefix)
    yield cache
    cache.close()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, cache: BaseCache) -> Api:
    return Api(cache, request.param)


@pytest.fixture
def sibling(shared_redis_url: str, prefix: str) -> Sibling:
    def build(**params: object) -> BaseCache:
        params["KEY_PREFIX"] = f"{prefix}{params.get('KEY_PREFIX', '')}"
        return make_cache(REDIS, shared_redis_url, **params)

    return build


class TestRedisCache(CacheContract):
    pass


def test_integers_are_stored_as_redis_integers(cache: BaseCache, shared_redis_url: str) -> None:
    cache.set("count", 41)
    cache.incr("count")

    raw = redis.Redis.from_url(shared_redis_url).get(cache.make_key("count"))

    assert raw == b"42"  # so INCRBY, from any client, works on it


def test_set_uses_the_default_timeout(shared_redis_url: str, prefix: str) -> None:
    cache = make_cache(REDIS, shared_redis_url, KEY_PREFIX=prefix, TIMEOUT=100)
    cache.set("k", "v")
    cache.set("forever", "v", None)

    client = redis.Redis.from_url(shared_redis_url)
    assert 99_000 < client.pttl(cache.make_key("k")) <= 100_000
    assert client.pttl(cache.make_key("forever")) == -1  # no expiry


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.destroy()


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "djanco.cache"]


def test_a_redis_that_is_down_means_misses_and_one_log_line(
    private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(REDIS, private_redis.url)
    cache.set("k", "before")
    private_redis.stop()
    caplog.set_level(logging.WARNING, logger="djanco.cache")

    assert cache.get("k", "default") == "default"
    cache.set("k", "dropped")
    assert cache.add("new", 1) is False
    assert cache.get_many(["k", "new"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    cache.clear()

    messages = _warnings(caplog)
    assert len(messages) == 1
    assert f"127.0.0.1:{private_redis.port}" in messages[0]
    assert "unreachable" in messages[0]


async def test_a_redis_that_is_down_means_misses_in_async_code_too(
    private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(REDIS, private_redis.url)
    await cache.aset("k", "before")
    private_redis.stop()
    caplog.set_level(logging.WARNING, logger="djanco.cache")

    assert await cache.aget("k") is None
    await cache.aset("k", "dropped")
    assert await cache.aget_or_set("k", "computed") == "computed"

    assert len(_warnings(caplog)) == 1


def test_the_cache_serves_again_once_redis_is_back(
    private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(REDIS, private_redis.url)
    private_redis.stop()
    caplog.set_level(logging.WARNING, logger="djanco.cache")
    assert cache.get("k") is None

    private_redis.start()
    cache.set("k", "after")

    assert cache.get("k") == "after"
    assert [m.split(" is ")[1] for m in _warnings(caplog)][-1] == "reachable again."


def test_passwords_are_masked_in_the_log_line(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there
    cache = make_cache(REDIS, f"redis://:s3cret@127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING, logger="djanco.cache")

    cache.get("k")

    (message,) = _warnings(caplog)
    assert "s3cret" not in message
    assert f"redis://:***@127.0.0.1:{port}/0" in message
