"""The local-memory cache: the shared behaviour, LRU eviction, and safety under threads and
tasks."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Iterator

import pytest

from djanco.core.cache import BaseCache
from djanco.core.exceptions import ImproperlyConfigured
from tests.core.cache.contract import CacheContract, Sibling
from tests.core.cache.support import LOCMEM, Api, make_cache

_names = itertools.count()


@pytest.fixture
def location() -> str:
    return f"locmem-test-{next(_names)}"


@pytest.fixture
def cache(location: str) -> Iterator[BaseCache]:
    cache = make_cache(LOCMEM, location)
    yield cache
    cache.clear()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, cache: BaseCache) -> Api:
    return Api(cache, request.param)


@pytest.fixture
def sibling(location: str) -> Sibling:
    def build(**params: object) -> BaseCache:
        return make_cache(LOCMEM, location, **params)

    return build


class TestLocMemCache(CacheContract):
    pass


def test_the_least_recently_used_entries_go_first(location: str) -> None:
    cache = make_cache(LOCMEM, location, OPTIONS={"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3})
    cache.set_many({"a": 1, "b": 2, "c": 3})
    cache.get("a")  # now the most recently used

    cache.set("d", 4)

    assert cache.get_many(["a", "b", "c", "d"]) == {"a": 1, "c": 3, "d": 4}


def test_cull_frequency_zero_empties_a_full_cache(location: str) -> None:
    cache = make_cache(LOCMEM, location, OPTIONS={"MAX_ENTRIES": 2, "CULL_FREQUENCY": 0})
    cache.set_many({"a": 1, "b": 2})

    cache.set("c", 3)

    assert cache.get_many(["a", "b", "c"]) == {"c": 3}


def test_caches_with_one_location_share_entries(location: str) -> None:
    make_cache(LOCMEM, location).set("k", "shared")

    assert make_cache(LOCMEM, location).get("k") == "shared"
    assert make_cache(LOCMEM, location + "-other").get("k") is None


def test_bad_options_are_refused(location: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="MAX_ENTRIES must be an integer"):
        make_cache(LOCMEM, location, OPTIONS={"MAX_ENTRIES": "many"})


def test_increments_from_many_threads_are_never_lost(cache: BaseCache) -> None:
    cache.set("hits", 0)

    def hit() -> None:
        for _ in range(200):
            cache.incr("hits")

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get("hits") == 1600


async def test_tasks_share_the_cache(cache: BaseCache) -> None:
    await cache.aset("hits", 0)

    async def hit() -> None:
        for _ in range(50):
            await cache.aincr("hits")
            await asyncio.sleep(0)

    await asyncio.gather(*(hit() for _ in range(10)))

    assert await cache.aget("hits") == 500
