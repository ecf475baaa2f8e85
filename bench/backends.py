"""The database layer under the ORM: one statement's cost, and a pool checkout's.

Run: ``python bench/backends.py`` with the interpreter of the checkout to measure (``--repeat
N``, ``--only sqlite,postgresql-async``). PostgreSQL and MariaDB are used when they listen
on 127.0.0.1 (``--pg``/``--mysql`` URLs of a server; a database ``bench_backends`` is created
there and dropped afterwards).

- ``execute``: 1,000 ``get(pk=...)``-like statements: a compiled ``SELECT ... WHERE id = :pk``
  run through ``wrapper.execute`` (or ``aexecute``) outside any transaction, so each one
  borrows a pooled connection and returns it;
- ``atomic``: 1,000 ``with atomic():`` blocks around one such statement (BEGIN, SELECT,
  COMMIT);
- ``pool``: 100,000 checkouts and check-ins of an idle connection, by Djanco's pool and by
  SQLAlchemy's ``QueuePool`` (sync, on SQLite connections) — the figure behind keeping a
  hand-written pool.

Each case is warmed up once, then timed ``--repeat`` times; the median is printed in
microseconds per operation. ``--clock cpu`` times this process's CPU instead of the wall
clock: the client-side cost alone, steadier on a busy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Coroutine
from typing import Any

import sqlalchemy as sa

from djanco.db import connections
from djanco.db.backends.testing import TestDatabase
from djanco.db.transaction import atomic

N = 1_000
N_POOL = 100_000

items = sa.Table(
    "bench_item",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),
    sa.Column("price", sa.Integer),
)


clock = time.perf_counter


def timed(func: Callable[[], object], repeat: int, count: int) -> float:
    func()  # warm up
    times = []
    for _ in range(repeat):
        gc.collect()
        start = clock()
        func()
        times.append(clock() - start)
    return statistics.median(times) / count * 1e6


def atimed(func: Callable[[], Coroutine[Any, Any, object]], repeat: int, count: int) -> float:
    async def runs() -> list[float]:
        await func()  # warm up
        times = []
        for _ in range(repeat):
            gc.collect()
            start = clock()
            await func()
            times.append(clock() - start)
        await connections["default"].aclose()
        return times

    return statistics.median(asyncio.run(runs())) / count * 1e6


def bench_database(name: str, server: str, repeat: int, only: set[str] | None) -> None:
    database = TestDatabase(server, "bench_backends")
    url = database.create()
    connections.configure({"default": url})
    wrapper = connections["default"]
    try:
        wrapper.execute(sa.schema.CreateTable(items))
        wrapper.execute_many(
            items.insert(), [{"id": i, "name": f"item {i}", "price": i} for i in range(1, N + 1)]
        )
        query = wrapper.compile(sa.select(items).where(items.c.id == sa.bindparam("pk")))

        def sync_execute() -> None:
            for pk in range(1, N + 1):
                wrapper.execute(query, {"pk": pk})

        def sync_atomic() -> None:
            for pk in range(1, N + 1):
                with atomic():
                    wrapper.execute(query, {"pk": pk})

        async def async_execute() -> None:
            for pk in range(1, N + 1):
                await wrapper.aexecute(query, {"pk": pk})

        async def async_atomic() -> None:
            for pk in range(1, N + 1):
                async with atomic():
                    await wrapper.aexecute(query, {"pk": pk})

        cases: list[tuple[str, Callable[[], float]]] = [
            (f"{name} execute", lambda: timed(sync_execute, repeat, N)),
            (f"{name} atomic", lambda: timed(sync_atomic, repeat, N)),
            (f"{name}-async execute", lambda: atimed(async_execute, repeat, N)),
            (f"{name}-async atomic", lambda: atimed(async_atomic, repeat, N)),
        ]
        for label, measure in cases:
            if only is None or label.split()[0] in only:
                print(f"{label:28} {measure():8.2f} µs")
    finally:
        connections.configure(None)
        database.destroy()


def bench_pool(repeat: int) -> None:
    from sqlalchemy.pool import QueuePool

    path = tempfile.mktemp(suffix=".sqlite3")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, check_same_thread=False)

    djanco_pool = _djanco_sync_pool(connect)
    queue_pool = QueuePool(connect, pool_size=20, max_overflow=0, reset_on_return=None)

    def djanco_cycle() -> None:
        get, put = djanco_pool.get, djanco_pool.put
        for _ in range(N_POOL):
            put(get())

    def sqlalchemy_cycle() -> None:
        checkout = queue_pool.connect
        for _ in range(N_POOL):
            checkout().close()

    print(f"{'pool djanco':28} {timed(djanco_cycle, repeat, N_POOL):8.2f} µs")
    print(f"{'pool sqlalchemy QueuePool':28} {timed(sqlalchemy_cycle, repeat, N_POOL):8.2f} µs")


class _Driver:
    """What Djanco's pool asks of a driver, on plain sqlite3 connections."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self.connect = connect

    def close(self, conn: sqlite3.Connection) -> None:
        conn.close()

    def in_transaction(self, conn: sqlite3.Connection) -> bool:
        return conn.in_transaction

    def is_usable(self, conn: sqlite3.Connection) -> bool:
        return True


def _djanco_sync_pool(connect: Callable[[], sqlite3.Connection]) -> Any:
    try:
        from djanco.db.backends.base.pool import SyncPool

        return SyncPool(_Driver(connect))  # type: ignore[arg-type]
    except ImportError:  # before backends became packages: a pool of two callables
        from djanco.db.backends.pool import SyncPool  # type: ignore[no-redef]

        return SyncPool(connect, lambda conn: conn.close())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", help="comma-separated: sqlite, postgresql-async, pool, ...")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--mysql", default="mysql://root@127.0.0.1:3306/mysql")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    only = set(args.only.split(",")) if args.only else None
    servers = [("sqlite", "sqlite"), ("postgresql", args.pg), ("mysql", args.mysql)]
    for name, server in servers:
        wanted = only is None or name in only or f"{name}-async" in only
        if wanted:
            bench_database(name, server, args.repeat, only)
    if only is None or "pool" in only:
        bench_pool(args.repeat)


if __name__ == "__main__":
    main()
