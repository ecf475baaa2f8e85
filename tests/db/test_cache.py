"""The database cache (``djanco.db.cache``) on each test database: the shared behaviour, its
table, culling, and use inside a transaction."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from sqlalchemy.schema import DropTable

from djanco.core.cache import BaseCache
from djanco.db import DatabaseWrapper, connections
from djanco.db.cache import cache_table, create_cache_table
from djanco.db.transaction import atomic
from tests.core.cache.contract import CacheContract, Sibling
from tests.core.cache.support import DATABASE, Api, make_cache

TABLE = "djanco_test_cache"


@pytest.fixture(scope="module")
def table(db_alias: str) -> Iterator[str]:
    create_cache_table(TABLE, db_alias)
    try:
        yield TABLE
    finally:
        connections[db_alias].execute(DropTable(cache_table(TABLE), if_exists=True))


@pytest.fixture
def cache(request: pytest.FixtureRequest, table: str) -> Iterator[BaseCache]:
    """Statements commit (sync and async forms run on different connections); the table is
    emptied after each test."""
    if inspect.iscoroutinefunction(getattr(request, "function", None)):
        request.getfixturevalue("_async_pool_cleanup")
    cache = make_cache(DATABASE, table)
    yield cache
    cache.clear()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, cache: BaseCache) -> Api:
    return Api(cache, request.param)


@pytest.fixture
def sibling(table: str) -> Sibling:
    def build(**params: object) -> BaseCache:
        return make_cache(DATABASE, table, **params)

    return build


class TestDatabaseCache(CacheContract):
    pass


def test_createcachetable_leaves_an_existing_table_alone(table: str, db_alias: str) -> None:
    assert create_cache_table(table, db_alias) == []


def test_createcachetable_dry_run_shows_the_sql_and_creates_nothing(db_alias: str) -> None:
    sql = create_cache_table("djanco_test_cache_dry", db_alias, dry_run=True)

    assert "CREATE TABLE" in sql[0] and "djanco_test_cache_dry" in sql[0]
    assert "CREATE INDEX" in sql[1]
    assert create_cache_table("djanco_test_cache_dry", db_alias, dry_run=True) == sql


def test_a_full_cache_culls_expired_entries_then_a_share_of_the_rest(table: str) -> None:
    cache = make_cache(DATABASE, table, OPTIONS={"MAX_ENTRIES": 6, "CULL_FREQUENCY": 3})
    try:
        cache.set_many({f"k{i}": i for i in range(6)})

        cache.set("last", "in")

        remaining = cache.get_many([f"k{i}" for i in range(6)])
        assert len(remaining) == 4  # a third of six culled (the lowest keys)
        assert cache.get("last") == "in"
    finally:
        cache.clear()


def test_large_values_fit(cache: BaseCache) -> None:
    value = "x" * 200_000  # more than MySQL's TEXT holds

    cache.set("big", value)

    assert cache.get("big") == value


def test_the_cache_works_inside_the_callers_transaction(
    connection: DatabaseWrapper, table: str
) -> None:
    cache = make_cache(DATABASE, table)
    with atomic():
        cache.set("k", "v")
        assert cache.add("k", "other") is False
        assert cache.get("k") == "v"
    assert cache.get("k") == "v"  # still inside the test's transaction, rolled back after


def test_a_missing_table_is_an_error_not_a_silent_miss(db_alias: str) -> None:
    from djanco.db import DatabaseError

    cache = make_cache(DATABASE, "djanco_no_such_table")

    with pytest.raises(DatabaseError):
        cache.set("k", "v")
