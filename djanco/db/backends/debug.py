"""Seeing the SQL that runs: ``capture_queries()`` and ``assert_num_queries()`` for tests.

With ``DEBUG`` on, every statement is also logged on the ``djanco.db`` logger at DEBUG level
with its duration.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from djanco.db.backends.base.state import QueryRecord
from djanco.db.backends.handler import DEFAULT_DB_ALIAS, connections

__all__ = ["CapturedQueries", "assert_num_queries", "capture_queries"]


class CapturedQueries(list[QueryRecord]):
    """The statements run inside a ``capture_queries()`` block, in order."""

    @property
    def sql(self) -> list[str]:
        return [q.sql for q in self]

    def __str__(self) -> str:
        return "\n".join(f"{i}. {q.sql}" for i, q in enumerate(self, 1))


@contextmanager
def capture_queries(using: str | None = None) -> Iterator[CapturedQueries]:
    """Collect the statements run on ``using`` (default alias) — sync and async — in the block.

    Transaction control (BEGIN, SAVEPOINT, COMMIT, ...) is not counted.
    """
    wrapper = connections[using or DEFAULT_DB_ALIAS]
    captured = CapturedQueries()
    previous = wrapper.queries_log
    wrapper.queries_log = captured
    try:
        yield captured
    finally:
        wrapper.queries_log = previous
        if previous is not None:
            previous.extend(captured)


@contextmanager
def assert_num_queries(num: int, using: str | None = None) -> Iterator[CapturedQueries]:
    """Fail (AssertionError listing them) unless the block runs exactly ``num`` statements."""
    with capture_queries(using) as captured:
        yield captured
    if len(captured) != num:
        raise AssertionError(
            f"{len(captured)} queries executed, {num} expected\nCaptured queries were:\n{captured}"
        )
