"""``async with atomic()``, async decorators, task isolation and sync-in-async protection."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from djanco.db import (
    DatabaseWrapper,
    IntegrityError,
    SynchronousOnlyOperation,
    connections,
    transaction,
)
from djanco.db.transaction import atomic, on_commit
from tests.db.backends.server import kill_other_sessions

metadata = sa.MetaData()
events = sa.Table(
    "o1_event",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
)

pytestmark = pytest.mark.tables(events)


async def add(connection: DatabaseWrapper, name: str) -> None:
    await connection.aexecute(sa.insert(events).values(name=name))


async def names(connection: DatabaseWrapper) -> list[object]:
    result = await connection.aexecute(sa.select(events.c.name).order_by(events.c.name))
    return result.scalars()


class Boom(Exception):
    pass


async def test_async_commit_and_rollback(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    async with atomic():
        await add(c, "a")
    with pytest.raises(Boom):
        async with atomic():
            await add(c, "b")
            raise Boom
    assert await names(c) == ["a"]


async def test_async_nested_savepoint(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    async with atomic():
        await add(c, "dup")
        with pytest.raises(IntegrityError):
            async with atomic():
                await add(c, "dup")
        await add(c, "next")
    assert await names(c) == ["dup", "next"]


async def test_async_on_commit_accepts_coroutines(
    transactional_connection: DatabaseWrapper,
) -> None:
    calls: list[str] = []

    async def notify() -> None:
        await asyncio.sleep(0)
        calls.append("async")

    async with atomic():
        on_commit(notify)
        on_commit(lambda: calls.append("sync"))
        assert calls == []
    assert calls == ["async", "sync"]
    with pytest.raises(Boom):
        async with atomic():
            on_commit(notify)
            raise Boom
    assert calls == ["async", "sync"]


async def test_async_decorator(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection

    @atomic
    async def create(name: str) -> str:
        await add(c, name)
        assert transaction.get_autocommit() is False
        return name

    @atomic()
    async def failing() -> None:
        await add(c, "lost")
        raise Boom

    assert await create("kept") == "kept"
    with pytest.raises(Boom):
        await failing()
    assert await names(c) == ["kept"]


async def test_tasks_get_their_own_transactions(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    if c.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time")
    inside = asyncio.Event()
    release = asyncio.Event()
    seen_by_other: list[list[object]] = []

    async def writer() -> None:
        async with atomic():
            await add(c, "uncommitted")
            inside.set()
            await release.wait()

    async def reader() -> None:
        await inside.wait()
        seen_by_other.append(await names(c))  # outside any block: autocommit connection
        async with atomic():
            seen_by_other.append(await names(c))
        release.set()

    await asyncio.wait_for(asyncio.gather(writer(), reader()), 10)
    assert seen_by_other == [[], []]
    assert await names(c) == ["uncommitted"]


async def test_async_test_transaction_isolated(connection: DatabaseWrapper) -> None:
    await add(connection, "rolled back at the end")
    async with atomic():
        await add(connection, "inner")
    assert len(await names(connection)) == 2


async def test_sync_call_in_event_loop_raises(connection: DatabaseWrapper) -> None:
    message = "You cannot call this from an async context - use the async form"
    with pytest.raises(SynchronousOnlyOperation, match=message):
        connection.execute(sa.select(events.c.name))
    with pytest.raises(SynchronousOnlyOperation, match=message), atomic():
        pass


async def test_sync_call_in_worker_thread_is_allowed(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection

    def sync_work() -> list[object]:
        with atomic():
            c.execute(sa.insert(events).values(name="from thread"))
        return c.execute(sa.select(events.c.name)).scalars()

    assert await asyncio.to_thread(sync_work) == ["from thread"]
    assert await names(c) == ["from thread"]


async def test_on_commit_outside_atomic_runs_soon(
    transactional_connection: DatabaseWrapper,
) -> None:
    calls: list[str] = []

    async def notify() -> None:
        calls.append("async")

    on_commit(notify)
    on_commit(lambda: calls.append("sync"))
    assert calls == ["sync"]  # a plain function runs at once, a coroutine as a task
    await asyncio.sleep(0.01)
    assert sorted(calls) == ["async", "sync"]


async def test_autocommit_flags_are_per_task(transactional_connection: DatabaseWrapper) -> None:
    assert transaction.get_autocommit() is True
    inside = asyncio.Event()
    seen: list[bool] = []

    async def other_task() -> None:
        await inside.wait()
        seen.append(transaction.get_autocommit())

    task = asyncio.ensure_future(other_task())
    async with atomic():
        assert transaction.get_autocommit() is False
        inside.set()
        await task
    assert seen == [True]  # the other task was never inside this block


async def test_every_sync_entry_point_refuses_the_event_loop(connection: DatabaseWrapper) -> None:
    select = sa.select(events.c.name)
    with pytest.raises(SynchronousOnlyOperation):
        connection.execute_many(sa.insert(events), [{"name": "x"}])
    with pytest.raises(SynchronousOnlyOperation):
        next(connection.stream(select))
    with pytest.raises(SynchronousOnlyOperation):
        connection.fetchall(select)
    with pytest.raises(SynchronousOnlyOperation):
        connection.tx_begin()


async def test_async_atomic_survives_dropped_connections(db_alias: str) -> None:
    wrapper = connections[db_alias]
    if wrapper.vendor == "sqlite":
        pytest.skip("no server to restart")
    try:
        assert await wrapper.ascalar("SELECT 1") == 1
        await asyncio.to_thread(kill_other_sessions, wrapper)
        await asyncio.sleep(0.05)
        async with atomic():  # BEGIN on the dead pooled connection is retried
            assert await wrapper.ascalar("SELECT 2") == 2
    finally:
        await wrapper.aclose()


async def test_cancelled_task_rolls_back_and_leaves_pool_clean(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    sleep = {
        "sqlite": "SELECT 1",  # no server-side sleep; cancellation lands between statements
        "postgresql": "SELECT pg_sleep(5)",
        "mysql": "SELECT SLEEP(5)",
    }[c.vendor]
    started = asyncio.Event()

    async def request() -> None:
        async with atomic():
            await add(c, "half-done")
            started.set()
            await c.aexecute(sleep)
            await asyncio.sleep(5)

    task = asyncio.ensure_future(request())
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await names(c) == []  # rolled back
    results = await asyncio.gather(*(c.ascalar("SELECT 1") for _ in range(5)))
    assert results == [1] * 5
    assert transaction.get_autocommit() is True
