"""atomic(), savepoints, on_commit, durable blocks and rollback flags (sync API)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper, IntegrityError, transaction
from djanco.db.transaction import TransactionManagementError, atomic, on_commit

metadata = sa.MetaData()
notes = sa.Table(
    "o1_note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(50), nullable=False, unique=True),
)

pytestmark = pytest.mark.tables(notes)


def add(connection: DatabaseWrapper, text: str) -> None:
    connection.execute(sa.insert(notes).values(text=text))


def texts(connection: DatabaseWrapper) -> list[object]:
    return connection.execute(sa.select(notes.c.text).order_by(notes.c.text)).scalars()


class Boom(Exception):
    pass


def test_commit_is_visible_outside(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    with atomic():
        add(c, "a")
        add(c, "b")
    assert texts(c) == ["a", "b"]


def test_exception_rolls_back(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    with pytest.raises(Boom), atomic():
        add(c, "a")
        raise Boom
    assert texts(c) == []


def test_uncommitted_rows_invisible_to_other_threads(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    seen: list[list[object]] = []

    def other_thread() -> None:
        seen.append(texts(c))

    with atomic():
        add(c, "mine")
        assert texts(c) == ["mine"]  # same connection inside the block
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert seen == [[]]
    assert texts(c) == ["mine"]


def test_nested_failure_rolls_back_to_savepoint(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    with atomic():
        add(c, "outer")
        with pytest.raises(Boom), atomic():
            add(c, "inner")
            raise Boom
        add(c, "after")
    assert texts(c) == ["after", "outer"]


def test_integrity_error_in_savepoint_keeps_transaction_usable(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    with atomic():
        add(c, "dup")
        with pytest.raises(IntegrityError), atomic():
            add(c, "dup")
        add(c, "next")  # on PostgreSQL this needs the savepoint rollback to work
    assert texts(c) == ["dup", "next"]


def test_inner_without_savepoint_dooms_outer(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    with atomic():
        add(c, "outer")
        with pytest.raises(Boom), atomic(savepoint=False):
            add(c, "inner")
            raise Boom
        assert transaction.get_rollback() is True
    assert texts(c) == []


def test_on_commit_runs_after_commit_in_order(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    calls: list[str] = []
    with atomic():
        add(c, "a")
        on_commit(lambda: calls.append("first"))
        with atomic():
            on_commit(lambda: calls.append("second"))
        assert calls == []
    assert calls == ["first", "second"]


def test_on_commit_dropped_on_rollback(transactional_connection: DatabaseWrapper) -> None:
    calls: list[str] = []
    with pytest.raises(Boom), atomic():
        on_commit(lambda: calls.append("x"))
        raise Boom
    assert calls == []


def test_on_commit_dropped_with_rolled_back_savepoint(
    transactional_connection: DatabaseWrapper,
) -> None:
    calls: list[str] = []
    with atomic():
        on_commit(lambda: calls.append("kept"))
        with pytest.raises(Boom), atomic():
            on_commit(lambda: calls.append("dropped"))
            raise Boom
    assert calls == ["kept"]


def test_on_commit_outside_atomic_runs_now(transactional_connection: DatabaseWrapper) -> None:
    calls: list[str] = []
    on_commit(lambda: calls.append("now"))
    assert calls == ["now"]


def test_on_commit_robust_logs_instead_of_raising(
    transactional_connection: DatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def bad() -> None:
        raise Boom("callback failed")

    with atomic():
        on_commit(bad, robust=True)
        on_commit(lambda: calls.append("after"))
    assert calls == ["after"]
    assert "callback failed" in caplog.text


def test_on_commit_error_propagates(transactional_connection: DatabaseWrapper) -> None:
    def bad() -> None:
        raise Boom

    with pytest.raises(Boom), atomic():
        on_commit(bad)
    assert texts(transactional_connection) == []


def test_durable_nested_raises(transactional_connection: DatabaseWrapper) -> None:
    with (
        atomic(),
        pytest.raises(RuntimeError, match="durable atomic block cannot be nested"),
        atomic(durable=True),
    ):
        pass


def test_durable_allowed_directly_in_test_transaction(connection: DatabaseWrapper) -> None:
    with atomic(durable=True):
        add(connection, "ok")
    assert texts(connection) == ["ok"]


def test_decorators(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection

    @atomic
    def bare(text: str) -> str:
        add(c, text)
        return text

    @atomic(using="default")
    def failing() -> None:
        add(c, "lost")
        raise Boom

    assert bare("kept") == "kept"
    with pytest.raises(Boom):
        failing()
    assert texts(c) == ["kept"]
    assert bare.__name__ == "bare"


def test_decorator_is_reentrant_across_threads(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    barrier = threading.Barrier(2)

    @atomic
    def work(text: str) -> None:
        add(c, text)
        barrier.wait(timeout=10)  # both threads are inside their own transaction now
        assert texts(c) == [text]
        barrier.wait(timeout=10)  # neither commits before both have looked

    errors: list[BaseException] = []

    def run(text: str) -> None:
        try:
            work(text)
        except BaseException as exc:
            errors.append(exc)

    if c.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time")
    threads = [threading.Thread(target=run, args=(t,)) for t in ("t1", "t2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert texts(c) == ["t1", "t2"]


def test_set_rollback_and_flags(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    assert transaction.get_autocommit() is True
    with pytest.raises(TransactionManagementError, match="outside of an 'atomic' block"):
        transaction.set_rollback(True)
    with atomic():
        assert transaction.get_autocommit() is False
        add(c, "x")
        transaction.set_rollback(True)
        assert transaction.get_rollback() is True
    assert texts(c) == []


def test_mark_for_rollback_on_error(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    with atomic():
        add(c, "x")
        with pytest.raises(Boom), transaction.mark_for_rollback_on_error():
            raise Boom
        assert transaction.get_rollback() is True
    assert texts(c) == []


def test_atomic_inside_test_transaction_is_a_savepoint(connection: DatabaseWrapper) -> None:
    add(connection, "kept")
    with pytest.raises(Boom), atomic():
        add(connection, "undone")
        raise Boom
    assert texts(connection) == ["kept"]
    calls: list[str] = []
    with atomic():
        on_commit(lambda: calls.append("never"))  # the test transaction never commits
    assert calls == []
