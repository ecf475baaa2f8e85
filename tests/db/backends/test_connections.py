"""connections[alias]: URLs, lazy wrappers, settings changes, pooling, reconnecting."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from djanco.conf import settings
from djanco.db import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    ConnectionHandler,
    DatabaseWrapper,
    connections,
)
from djanco.db.backends import PoolTimeout, create_wrapper, vendor_of
from djanco.db.backends.testing import parse_test_databases
from djanco.db.transaction import atomic
from tests.db.backends.server import kill_other_sessions


def test_vendor_from_url() -> None:
    assert vendor_of("sqlite:///db.sqlite3") == "sqlite"
    assert vendor_of("postgresql://u@h/db") == "postgresql"
    assert vendor_of("postgres://u@h/db") == "postgresql"
    assert vendor_of("postgresql+psycopg://u@h/db") == "postgresql"
    assert vendor_of("mysql://root@h/db") == "mysql"
    assert vendor_of("mariadb://root@h/db") == "mysql"
    with pytest.raises(ValueError, match="Unsupported database URL 'oracle://x'"):
        vendor_of("oracle://x")


def test_unknown_alias_lists_configured_ones() -> None:
    handler = ConnectionHandler()
    handler.configure({"default": "sqlite:///:memory:", "replica": "sqlite:///:memory:"})
    with pytest.raises(ConnectionDoesNotExist, match=r"'other'.*'default', 'replica'"):
        handler["other"]
    assert list(handler) == ["default", "replica"]
    assert "replica" in handler
    assert handler["default"] is handler["default"]
    assert handler["default"].vendor == "sqlite"
    handler.reset()


def test_wrappers_follow_settings_databases() -> None:
    handler = ConnectionHandler()
    first = handler[DEFAULT_DB_ALIAS]
    assert first.settings_url == settings.DATABASES[DEFAULT_DB_ALIAS]
    original = settings.DATABASES
    try:
        settings.DATABASES = {"default": "sqlite:///:memory:", "extra": "sqlite:///:memory:"}
        handler._setting_changed("DATABASES")
        assert handler[DEFAULT_DB_ALIAS] is not first
        assert handler["extra"].alias == "extra"
    finally:
        settings.DATABASES = original
        handler.reset()


def test_memory_database_shared_by_pooled_and_async_connections() -> None:
    wrapper = create_wrapper("mem", "sqlite:///:memory:")
    try:
        wrapper.execute("CREATE TABLE t (x INTEGER)")
        wrapper.execute("INSERT INTO t VALUES (%s)", [1])
        assert wrapper.scalar("SELECT x FROM t") == 1

        async def read() -> object:
            try:
                return await wrapper.ascalar("SELECT x FROM t")
            finally:
                await wrapper.aclose()

        assert asyncio.run(read()) == 1
        other = create_wrapper("mem2", "sqlite:///:memory:")
        with pytest.raises(Exception, match="no such table"):
            other.execute("SELECT x FROM t")  # each alias has its own memory database
        other.close()
    finally:
        wrapper.close()


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: os.PathLike[str]) -> None:
    wrapper = create_wrapper("f", f"sqlite:///{os.path.join(tmp_path, 'db.sqlite3')}")
    try:
        assert wrapper.scalar("PRAGMA journal_mode") == "wal"
        assert wrapper.scalar("PRAGMA foreign_keys") == 1
    finally:
        wrapper.close()


def test_parse_test_databases() -> None:
    assert parse_test_databases("") == ["sqlite"]
    assert parse_test_databases(" sqlite , postgresql://p@h/db ") == [
        "sqlite",
        "postgresql://p@h/db",
    ]
    with pytest.raises(ValueError, match="Unsupported database URL"):
        parse_test_databases("sqlite,postgresq://typo")


def test_features_and_dialect(connection: DatabaseWrapper) -> None:
    assert connection.dialect.name == connection.vendor or connection.vendor == "mysql"
    assert connection.features.can_return_rows_from_insert in (True, False)
    if connection.vendor == "postgresql":
        assert connection.features.has_select_for_update
    assert repr(connection).startswith(f"<{type(connection).__name__} alias='default'")


def test_next_statement_succeeds_after_server_drops_connections(db_alias: str) -> None:
    wrapper = connections[db_alias]
    if wrapper.vendor == "sqlite":
        pytest.skip("no server to restart")
    assert wrapper.scalar("SELECT 1") == 1  # leaves a connection in the pool
    kill_other_sessions(wrapper)
    assert wrapper.scalar("SELECT 2") == 2
    kill_other_sessions(wrapper)
    with atomic():  # BEGIN on a dead pooled connection is retried too
        assert wrapper.scalar("SELECT 3") == 3


async def test_async_reconnects_after_server_drops_connections(db_alias: str) -> None:
    wrapper = connections[db_alias]
    if wrapper.vendor == "sqlite":
        pytest.skip("no server to restart")
    try:
        assert await wrapper.ascalar("SELECT 1") == 1
        await asyncio.to_thread(kill_other_sessions, wrapper)
        await asyncio.sleep(0.05)
        assert await wrapper.ascalar("SELECT 2") == 2
    finally:
        await wrapper.aclose()


def test_raw_begin_outside_atomic_does_not_leak(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    c.execute("BEGIN")  # returned to the pool: rolled back, not left open for the next user
    assert c.pool.idle and not any(c.driver.in_transaction(conn) for conn in c.pool.idle)


async def test_async_pool_is_bounded(db_alias: str) -> None:
    url = connections[db_alias].settings_url
    sep = "&" if "?" in url else "?"
    wrapper = create_wrapper("bounded", f"{url}{sep}pool_size=2&pool_timeout=0.2")
    try:
        first, second = await wrapper.atx_begin(bind=False), await wrapper.atx_begin(bind=False)
        with pytest.raises(PoolTimeout, match=r"within 0.2 s \(2 in use"):
            await wrapper.ascalar("SELECT 1")

        async def later() -> object:
            return await wrapper.ascalar("SELECT 7")

        waiting = asyncio.ensure_future(later())
        await asyncio.sleep(0.01)
        assert not waiting.done()  # waits for a free connection...
        await wrapper.atx_end(first, commit=False)
        assert await waiting == 7  # ...and gets the one just returned
        await wrapper.atx_end(second, commit=False)
        results = await asyncio.gather(*(wrapper.ascalar("SELECT 1") for _ in range(10)))
        assert results == [1] * 10
    finally:
        await wrapper.aclose()
        wrapper.close()


def test_bad_url_options() -> None:
    with pytest.raises(ValueError, match="pool_size='x' must be a positive int"):
        create_wrapper("bad", "sqlite:///:memory:?pool_size=x")
    with pytest.raises(ValueError, match="unknown SQLite URL option"):
        create_wrapper("bad", "sqlite:///:memory:?colour=blue")
    with pytest.raises(ValueError, match="transaction_mode must be"):
        create_wrapper("bad", "sqlite:///:memory:?transaction_mode=SOMETIMES")


def test_sqlite_transaction_mode(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "db.sqlite3")
    wrapper = create_wrapper("imm", f"sqlite:///{path}?transaction_mode=immediate&timeout=1")
    other = create_wrapper("other", f"sqlite:///{path}?timeout=0.05")
    try:
        wrapper.execute("CREATE TABLE t (x INTEGER)")
        state = wrapper.tx_begin(bind=False)  # BEGIN IMMEDIATE takes the write lock at once
        with pytest.raises(Exception, match="locked"):
            other.execute("INSERT INTO t VALUES (1)")
        wrapper.tx_end(state, commit=False)
    finally:
        wrapper.close()
        other.close()


_WRITE_AND_EXIT = """
import sys
from djanco.db import connections
connections.configure({"default": sys.argv[1]})
connections["default"].execute("CREATE TABLE t (x INTEGER)")
"""


def test_sqlite_leaves_no_wal_files_when_the_process_exits(tmp_path: Path) -> None:
    # Pooled connections are closed at exit, so SQLite checkpoints and removes its WAL.
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run([sys.executable, "-c", _WRITE_AND_EXIT, url], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]


_FORK_SCRIPT = """
import os, sys
from djanco.db import connections
connections.configure({"default": sys.argv[1]})
parent = connections["default"]
assert parent.scalar("SELECT 1") == 1          # a pooled connection exists before the fork
pid = os.fork()
if pid == 0:
    child = connections["default"]
    ok = child is not parent and child.scalar("SELECT 2") == 2
    os._exit(0 if ok else 3)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, "child failed"
assert parent.scalar("SELECT 3") == 3          # the parent's connection survived the child
print("ok")
"""


def test_forked_child_opens_its_own_connections(transactional_connection: DatabaseWrapper) -> None:
    # In a fresh interpreter: forking pytest itself, with its helper threads, is not safe.
    done = subprocess.run(
        [sys.executable, "-c", _FORK_SCRIPT, transactional_connection.settings_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "ok", done.stderr


async def test_mysql_isolation_level(connection: DatabaseWrapper) -> None:
    if connection.vendor != "mysql":
        pytest.skip("MySQL/MariaDB only")
    query = "SELECT @@SESSION.tx_isolation"
    try:
        level = await connection.ascalar(query)
    except Exception:  # MySQL 8 renamed the variable
        level = await connection.ascalar("SELECT @@SESSION.transaction_isolation")
    assert level == "READ-COMMITTED"  # Django's default, not the server's REPEATABLE READ
    with pytest.raises(ValueError, match="isolation_level must be one of"):
        create_wrapper("bad", "mysql://root@localhost/db?isolation_level=sometimes")
    wrapper = create_wrapper("rr", f"{connection.settings_url}?isolation_level=repeatable-read")
    try:
        assert await wrapper.ascalar(query) == "REPEATABLE-READ"
    finally:
        await wrapper.aclose()
        wrapper.close()


def test_mysql_sync_isolation_level(connection: DatabaseWrapper) -> None:
    if connection.vendor != "mysql":
        pytest.skip("MySQL/MariaDB only")
    assert connection.scalar("SELECT @@SESSION.tx_isolation") == "READ-COMMITTED"
