"""Database fixtures shared by every test under tests/db.

Tests that take ``connection`` (or ``db_alias``) run once per backend named in
``DJANCO_TEST_DATABASES`` (default: SQLite in a temporary file), each inside a transaction that
is rolled back at its end. Declare the tables a module needs with a module-level marker::

    pytestmark = pytest.mark.tables(Author, Article)   # model classes, Tables or a MetaData

They are created once per module and backend (before any test transaction, since MariaDB
commits on DDL) and dropped after the module. Tests that need real commits (``on_commit``,
several connections) take ``transactional_connection`` instead: no wrapping transaction, and the
module's tables are emptied after the test. ``other_connection`` is a second database ("other")
on the same backend, with the same tables, for ``using()`` tests.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import Table

from djanco.db import DEFAULT_DB_ALIAS, DatabaseWrapper, connections
from djanco.db.backends.handler import vendor_of
from djanco.db.backends.testing import (
    TestDatabase,
    abegin_test_transaction,
    aend_test_transaction,
    begin_test_transaction,
    create_tables,
    drop_tables,
    end_test_transaction,
    parse_test_databases,
    tables_of,
    truncate_tables,
)

_URLS = parse_test_databases()
_servers: list[str] = []  # the server URL of the backend currently under test


def _ids(urls: list[str]) -> list[str]:
    ids: list[str] = []
    for url in urls:
        vendor = vendor_of(url)
        ids.append(vendor if vendor not in ids else f"{vendor}{len(ids)}")
    return ids


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tables(*models): tables (models, Table, MetaData) a module's tests need"
    )


@pytest.fixture(scope="session", params=_URLS, ids=_ids(_URLS))
def db_alias(request: pytest.FixtureRequest) -> Iterator[str]:
    """The alias ("default") pointing at a fresh test database on one backend."""
    database = TestDatabase(request.param)
    url = database.create()
    connections.configure({DEFAULT_DB_ALIAS: url})
    _servers[:] = [request.param]
    try:
        yield DEFAULT_DB_ALIAS
    finally:
        connections.configure(None)
        database.destroy()


@pytest.fixture(scope="session")
def other_db_alias(db_alias: str) -> Iterator[str]:
    """A second fresh database, alias "other", on the backend under test."""
    database = TestDatabase(_servers[0], f"test_djanco_{os.getpid()}_other")
    connections.add("other", database.create())
    try:
        yield "other"
    finally:
        connections.remove("other")
        database.destroy()


def _module_tables(request: pytest.FixtureRequest) -> list[Table]:
    return tables_of(obj for mark in request.node.iter_markers("tables") for obj in mark.args)


@pytest.fixture(scope="module")
def schema(request: pytest.FixtureRequest, db_alias: str) -> Iterator[list[Table]]:
    """Creates the module's ``pytest.mark.tables(...)`` tables; drops them afterwards."""
    tables = _module_tables(request)
    if tables:
        create_tables(connections[db_alias], tables)
    try:
        yield tables
    finally:
        if tables:
            drop_tables(connections[db_alias], tables)


@pytest.fixture(scope="module")
def other_schema(request: pytest.FixtureRequest, other_db_alias: str) -> Iterator[list[Table]]:
    """The module's tables on the "other" database."""
    tables = _module_tables(request)
    if tables:
        create_tables(connections[other_db_alias], tables)
    try:
        yield tables
    finally:
        if tables:
            drop_tables(connections[other_db_alias], tables)


def _is_async_test(request: pytest.FixtureRequest) -> bool:
    return inspect.iscoroutinefunction(getattr(request, "function", None))


def _rolled_back(request: pytest.FixtureRequest, alias: str) -> Iterator[DatabaseWrapper]:
    wrapper = connections[alias]
    if _is_async_test(request):
        state = None
        request.getfixturevalue(f"_async_test_transaction_{alias}")
    else:
        state = begin_test_transaction(wrapper)
    try:
        yield wrapper
    finally:
        if state is not None:
            end_test_transaction(wrapper, state)


@pytest.fixture
def connection(
    request: pytest.FixtureRequest, db_alias: str, schema: list[Table]
) -> Iterator[DatabaseWrapper]:
    """``connections["default"]`` on this backend; everything the test does is rolled back."""
    yield from _rolled_back(request, db_alias)


@pytest.fixture
def other_connection(
    request: pytest.FixtureRequest, other_db_alias: str, other_schema: list[Table]
) -> Iterator[DatabaseWrapper]:
    """``connections["other"]``, with the module's tables; rolled back like ``connection``."""
    yield from _rolled_back(request, other_db_alias)


async def _async_rolled_back(alias: str) -> AsyncIterator[None]:
    wrapper = connections[alias]
    state = await abegin_test_transaction(wrapper)
    try:
        yield
    finally:
        await aend_test_transaction(wrapper, state)


@pytest.fixture
async def _async_test_transaction_default(db_alias: str) -> AsyncIterator[None]:
    async for _ in _async_rolled_back(db_alias):
        yield


@pytest.fixture
async def _async_test_transaction_other(other_db_alias: str) -> AsyncIterator[None]:
    async for _ in _async_rolled_back(other_db_alias):
        yield


@pytest.fixture
def transactional_connection(
    request: pytest.FixtureRequest, db_alias: str, schema: list[Table]
) -> Iterator[DatabaseWrapper]:
    """Like ``connection`` but statements really commit; the tables are emptied afterwards."""
    wrapper = connections[db_alias]
    if _is_async_test(request):
        request.getfixturevalue("_async_pool_cleanup")
    try:
        yield wrapper
    finally:
        if schema:
            truncate_tables(wrapper, schema)


@pytest.fixture
async def _async_pool_cleanup(db_alias: str) -> AsyncIterator[None]:
    yield
    await connections[db_alias].aclose()
