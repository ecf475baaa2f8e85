"""The blocking steps of ORM operations, each with a sync form and an async one.

Every ORM operation that exists as ``x()`` and ``ax()`` is written once, as a flow
(``djanco.utils.flow``) that yields these steps: ``run()`` drives it for ``x()`` and ``arun()``
for ``ax()``, calling each step's ``run()`` or ``arun()``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Generator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

    from djanco.db.backends import CompiledQuery, DatabaseWrapper, Params, Result, Row, TxState
    from djanco.db.models.base import Model
    from djanco.db.models.signals import ModelSignal
    from djanco.utils.flow import Flow

__all__ = [
    "CloseStream",
    "Execute",
    "NextChunk",
    "ParamsDialect",
    "Save",
    "Send",
    "Stream",
    "TransactionState",
    "send",
]


class Execute:
    """Run one statement: ``wrapper.execute()`` or ``wrapper.aexecute()``."""

    __slots__ = ("params", "query", "wrapper")

    def __init__(
        self, wrapper: DatabaseWrapper, query: CompiledQuery | str, params: Params | None
    ) -> None:
        self.wrapper = wrapper
        self.query = query
        self.params = params

    def run(self) -> Result:
        return self.wrapper.execute(self.query, self.params)

    def arun(self) -> Awaitable[Result]:
        return self.wrapper.aexecute(self.query, self.params)


class TransactionState:
    """The transaction open in this thread (sync) or task (async) on `wrapper`, or None."""

    __slots__ = ("wrapper",)

    def __init__(self, wrapper: DatabaseWrapper) -> None:
        self.wrapper = wrapper

    def run(self) -> TxState | None:
        return self.wrapper.sync_state()

    async def arun(self) -> TxState | None:
        return self.wrapper.async_state()


Chunks = Generator["list[Row]", None, None] | AsyncGenerator["list[Row]", None]
"""A query's rows in chunks, from ``wrapper.stream()`` or ``wrapper.astream()``."""


class Stream:
    """Start streaming a query's rows in chunks (a server-side cursor where there is one)."""

    __slots__ = ("chunk_size", "params", "query", "wrapper")

    def __init__(
        self, wrapper: DatabaseWrapper, query: CompiledQuery, params: Params, chunk_size: int
    ) -> None:
        self.wrapper = wrapper
        self.query = query
        self.params = params
        self.chunk_size = chunk_size

    def run(self) -> Chunks:
        return self.wrapper.stream(self.query, self.params, self.chunk_size)

    async def arun(self) -> Chunks:
        return self.wrapper.astream(self.query, self.params, self.chunk_size)


class NextChunk:
    """The next chunk of a stream, or None at its end."""

    __slots__ = ("chunks",)

    def __init__(self, chunks: Chunks) -> None:
        self.chunks = chunks

    def run(self) -> list[Row] | None:
        assert isinstance(self.chunks, Generator)
        return next(self.chunks, None)

    def arun(self) -> Awaitable[list[Row] | None]:
        assert isinstance(self.chunks, AsyncGenerator)
        return anext(self.chunks, None)


class CloseStream:
    """Stop a stream early, giving its connection back."""

    __slots__ = ("chunks",)

    def __init__(self, chunks: Chunks) -> None:
        self.chunks = chunks

    def run(self) -> None:
        assert isinstance(self.chunks, Generator)
        self.chunks.close()

    def arun(self) -> Awaitable[None]:
        assert isinstance(self.chunks, AsyncGenerator)
        return self.chunks.aclose()


class Send:
    """Send a model signal: ``signal.send()`` or ``signal.asend()`` (which awaits async
    receivers)."""

    __slots__ = ("kwargs", "sender", "signal")

    def __init__(self, signal: ModelSignal, sender: type, kwargs: dict[str, object]) -> None:
        self.signal = signal
        self.sender = sender
        self.kwargs = kwargs

    def run(self) -> object:
        return self.signal.send(self.sender, **self.kwargs)

    def arun(self) -> Awaitable[object]:
        return self.signal.asend(self.sender, **self.kwargs)


class ParamsDialect:
    """The SQLAlchemy dialect that prepares parameter values for the driver running the
    statements (``ops.params_dialect``): a database's async driver may be another library."""

    __slots__ = ("wrapper",)

    def __init__(self, wrapper: DatabaseWrapper) -> None:
        self.wrapper = wrapper

    def run(self) -> Dialect:
        return self.wrapper.ops.params_dialect(is_async=False)

    async def arun(self) -> Dialect:
        return self.wrapper.ops.params_dialect(is_async=True)


class Save:
    """Save an instance through its own ``save()`` / ``asave()`` (a model may override them)."""

    __slots__ = ("force_insert", "obj", "using")

    def __init__(self, obj: Model, *, force_insert: bool = False, using: str | None = None) -> None:
        self.obj = obj
        self.force_insert = force_insert
        self.using = using

    def run(self) -> None:
        self.obj.save(force_insert=self.force_insert, using=self.using)

    def arun(self) -> Awaitable[None]:
        return self.obj.asave(force_insert=self.force_insert, using=self.using)


def send(signal: ModelSignal, sender: type, **kwargs: object) -> Flow[None]:
    """Send `signal` for `sender`, if anything listens."""
    if signal.has_listeners(sender):
        yield Send(signal, sender, kwargs)
