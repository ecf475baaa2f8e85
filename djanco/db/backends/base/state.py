"""Plain data of a database alias: the state of an open transaction and the record of one
executed statement."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import Token
from typing import Any, NamedTuple

__all__ = ["QueryRecord", "TxState"]


class TxState:
    """The connection bound to the current ``atomic()`` block and its nesting.

    ``levels`` holds, per open atomic block, its savepoint name (None for the outermost block or
    ``savepoint=False``) and whether it is durable. Callbacks from ``on_commit`` wait in
    ``run_on_commit`` with the savepoints open when they were registered.
    """

    __slots__ = (
        "conn",
        "is_test",
        "levels",
        "needs_rollback",
        "run_on_commit",
        "savepoint_count",
        "token",
    )

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.levels: list[tuple[str | None, bool]] = []
        self.needs_rollback = False
        self.run_on_commit: list[tuple[tuple[str, ...], Callable[[], object], bool]] = []
        self.savepoint_count = 0
        self.token: Token[TxState | None] | None = None
        self.is_test = False

    def savepoint_ids(self) -> tuple[str, ...]:
        return tuple(sid for sid, _ in self.levels if sid is not None)


class QueryRecord(NamedTuple):
    """One executed statement, as seen by ``capture_queries()``."""

    sql: str
    params: object
    duration: float

    def __repr__(self) -> str:
        return f"<QueryRecord {self.sql!r} {self.duration * 1e3:.3f} ms>"
