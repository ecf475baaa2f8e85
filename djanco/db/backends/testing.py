"""Test databases: per-run creation and removal, tables from SQLAlchemy metadata, and the
pinned transaction that makes every statement of a test roll back at its end.

``DJANCO_TEST_DATABASES`` is a comma-separated list of URLs, e.g.
``sqlite,postgresql://postgres@127.0.0.1:5432/test,mysql://root@127.0.0.1:3306/test``. A bare
``sqlite`` means a fresh temporary file. For PostgreSQL and MariaDB/MySQL the URL names a server
and a database to connect to for administration; the tests run in a new database
``test_djanco_<pid>`` created there and dropped afterwards, so concurrent runs never collide.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.backends.base.bridge import SyncBridge
from djanco.db.backends.base.state import TxState
from djanco.db.backends.handler import create_wrapper, vendor_of
from djanco.db.utils import OperationalError

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table

__all__ = [
    "TestDatabase",
    "abegin_test_transaction",
    "aend_test_transaction",
    "begin_test_transaction",
    "create_tables",
    "drop_tables",
    "end_test_transaction",
    "parse_test_databases",
    "tables_of",
    "truncate_tables",
]

ENV_VAR = "DJANCO_TEST_DATABASES"


def parse_test_databases(value: str | None = None) -> list[str]:
    """The URLs named by ``DJANCO_TEST_DATABASES`` (default: ``["sqlite"]``)."""
    if value is None:
        value = os.environ.get(ENV_VAR, "")
    urls = [part.strip() for part in value.split(",") if part.strip()]
    for url in urls:
        vendor_of(url)  # fail early and clearly on a typo
    return urls or ["sqlite"]


class TestDatabase:
    """A database made for one test run on one backend; ``url`` is valid after ``create()``."""

    __test__ = False  # not a pytest test class

    def __init__(self, server_url: str, name: str | None = None) -> None:
        self.server_url = server_url
        self.vendor = vendor_of(server_url)
        self.name = name or f"test_djanco_{os.getpid()}"
        self.url = ""
        self._tmpdir: str | None = None

    def create(self) -> str:
        """Create the database (dropping a leftover of the same name) and return its URL."""
        from sqlalchemy.engine import make_url

        if self.vendor == "sqlite":
            database = make_url(self._sqlite_url()).database or ""
            if database == ":memory:":
                self.url = "sqlite:///:memory:"
            else:
                self._tmpdir = tempfile.mkdtemp(prefix="djanco-test-")
                self.url = f"sqlite:///{os.path.join(self._tmpdir, self.name + '.sqlite3')}"
            return self.url
        self._admin(f"DROP DATABASE IF EXISTS {self._quoted()}{self._force()}")
        charset = (
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" if self.vendor == "mysql" else ""
        )
        self._admin(f"CREATE DATABASE {self._quoted()}{charset}")
        self.url = (
            make_url(self.server_url).set(database=self.name).render_as_string(hide_password=False)
        )
        return self.url

    def destroy(self) -> None:
        """Drop the database (close its connections first: ``connections.reset()``)."""
        if self.vendor == "sqlite":
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
            return
        self._admin(f"DROP DATABASE IF EXISTS {self._quoted()}{self._force()}")

    def _sqlite_url(self) -> str:
        return "sqlite://" if self.server_url.rstrip(":/") == "sqlite" else self.server_url

    def _quoted(self) -> str:
        return f"`{self.name}`" if self.vendor == "mysql" else f'"{self.name}"'

    def _force(self) -> str:
        return " WITH (FORCE)" if self.vendor == "postgresql" else ""

    def _admin(self, sql: str) -> None:
        """Run ``sql`` on the server's maintenance database (``postgres``; none on MariaDB), as
        Django does, so the configured database need not exist yet; else on the configured one."""
        from sqlalchemy.engine import make_url

        maintenance = "postgres" if self.vendor == "postgresql" else ""
        url = make_url(self.server_url).set(database=maintenance)
        try:
            self._admin_on(url.render_as_string(hide_password=False), sql)
        except OperationalError:
            self._admin_on(self.server_url, sql)

    @staticmethod
    def _admin_on(url: str, sql: str) -> None:
        wrapper = create_wrapper("__admin__", url)
        try:
            wrapper.execute(sql)
        finally:
            wrapper.close()

    def __repr__(self) -> str:
        return f"<TestDatabase {self.vendor} {self.url or self.server_url}>"


def tables_of(objects: Iterable[object]) -> list[Table]:
    """Tables of model classes (``Model._meta.table``), ``Table`` and ``MetaData`` objects,
    sorted so that referenced tables come first."""
    from sqlalchemy import MetaData, Table
    from sqlalchemy.sql.ddl import sort_tables

    found: list[Table] = []
    for obj in objects:
        if isinstance(obj, Table):
            found.append(obj)
        elif isinstance(obj, MetaData):
            found.extend(obj.sorted_tables)
        else:
            meta = getattr(obj, "_meta", None)
            table = getattr(meta, "table", None)
            if not isinstance(table, Table):
                raise TypeError(f"{obj!r} is not a model class, a Table or a MetaData")
            found.append(table)
    unique = list(dict.fromkeys(found))
    return list(sort_tables(unique))


def create_tables(wrapper: DatabaseWrapper, tables: Sequence[Table] | MetaData) -> None:
    """CREATE TABLE (and its indexes) for each table, replacing any of the same name."""
    from sqlalchemy.schema import CreateIndex, CreateTable

    ordered = tables_of([tables] if not isinstance(tables, Sequence) else tables)
    drop_tables(wrapper, ordered)
    for table in ordered:
        wrapper.execute(CreateTable(table))
        for index in table.indexes:
            wrapper.execute(CreateIndex(index))


def drop_tables(wrapper: DatabaseWrapper, tables: Sequence[Table] | MetaData) -> None:
    """DROP TABLE IF EXISTS for each table, dependents first."""
    from sqlalchemy.schema import DropTable

    ordered = tables_of([tables] if not isinstance(tables, Sequence) else tables)
    for table in reversed(ordered):
        wrapper.execute(DropTable(table, if_exists=True))


def truncate_tables(wrapper: DatabaseWrapper, tables: Sequence[Table] | MetaData) -> None:
    """Delete every row of the tables, dependents first (for tests that commit)."""
    from sqlalchemy import delete

    ordered = tables_of([tables] if not isinstance(tables, Sequence) else tables)
    for table in reversed(ordered):
        wrapper.execute(delete(table))


def begin_test_transaction(wrapper: DatabaseWrapper, *, bridge_async: bool = False) -> TxState:
    """Open a transaction that every sync statement on ``wrapper`` then runs in, from any
    thread; ``atomic()`` blocks inside it become savepoints and ``on_commit`` never fires.

    With ``bridge_async`` async statements run in it too (through a worker thread), so sync
    and async code of one test, and the views it calls, all see the same rows.
    """
    tx = wrapper.transactions
    if tx.sync_local.pinned is not None:
        raise RuntimeError(f"A test transaction is already open on {wrapper.alias!r}")
    state = wrapper.tx_begin(bind=False)
    state.is_test = True
    state.levels.append((None, False))
    tx.sync_local.pinned = state
    if bridge_async:
        wrapper.bridge = SyncBridge()
        tx.async_local.pinned = state
    return state


def end_test_transaction(wrapper: DatabaseWrapper, state: TxState) -> None:
    """Roll back the test transaction opened by ``begin_test_transaction``."""
    tx = wrapper.transactions
    bridge, wrapper.bridge = wrapper.bridge, None
    if bridge is not None:
        bridge.close()
        tx.async_local.pinned = None
    tx.sync_local.pinned = None
    wrapper.tx_end(state, commit=False)


async def abegin_test_transaction(wrapper: DatabaseWrapper) -> TxState:
    """Async form of ``begin_test_transaction`` (async statements of the test use it)."""
    local = wrapper.transactions.async_local
    if local.pinned is not None:
        raise RuntimeError(f"An async test transaction is already open on {wrapper.alias!r}")
    state = await wrapper.atx_begin(bind=False)
    state.is_test = True
    state.levels.append((None, False))
    local.pinned = state
    return state


async def aend_test_transaction(wrapper: DatabaseWrapper, state: TxState) -> None:
    """Roll back the async test transaction and close the loop's pooled connections."""
    wrapper.transactions.async_local.pinned = None
    try:
        await wrapper.atx_end(state, commit=False)
    finally:
        await wrapper.aclose()
