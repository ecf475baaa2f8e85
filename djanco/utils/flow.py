"""One source for an operation's sync and async forms: a generator of steps, driven twice.

An operation that must exist as ``save()`` and ``asave()`` is written once, as a generator
that yields each blocking *step* (a statement to run, a signal to send, a transaction to begin)
and receives the step's result back::

    def _save(obj) -> Flow[bool]:
        result: Result = yield Execute(wrapper, query, params)
        return result.rowcount > 0

    def save(obj) -> bool:
        return run(_save(obj))

    async def asave(obj) -> bool:
        return await arun(_save(obj))

A step knows its two forms (``run()`` and ``arun()``); the drivers below call one or the other
and send the value back, or throw the step's exception into the generator, so ``try``/``except``
inside a flow works as in straight-line code. Flows compose with ``yield from``.

Cost: one generator and one step object per operation, about a microsecond; the drivers are a
tight loop with no per-step allocation of their own (see ``bench/orm.py``, "1,000 x get").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

__all__ = ["Call", "Flow", "Step", "arun", "done", "run"]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class Step(Protocol[_T_co]):
    """A blocking action with a sync and an async form."""

    def run(self) -> _T_co: ...

    def arun(self) -> Awaitable[_T_co]: ...


Flow: TypeAlias = Generator["Step[Any]", Any, _T]
"""A generator of steps whose return value is the operation's result."""


def done(value: _T) -> Flow[_T]:
    """A flow whose result is already known: it has no step, so both drivers return ``value``
    at once (for implementations of a flow interface that never block, e.g. in memory)."""
    return value
    yield  # never reached; makes this function a generator


def run(flow: Flow[_T]) -> _T:
    """Drive ``flow`` with each step's sync form; return what the flow returns."""
    send = flow.send
    try:
        step = next(flow)
        while True:
            try:
                value = step.run()
            except BaseException as exc:  # the flow may catch it (try/except around a yield)
                step = flow.throw(exc)
            else:
                step = send(value)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def arun(flow: Flow[_T]) -> _T:
    """Drive ``flow`` with each step's async form; return what the flow returns."""
    send = flow.send
    try:
        step = next(flow)
        while True:
            try:
                value = await step.arun()
            except BaseException as exc:
                step = flow.throw(exc)
            else:
                step = send(value)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


class Call(Generic[_T]):
    """A step from a pair of callables: ``func(*args)`` sync, ``await afunc(*args)`` async."""

    __slots__ = ("afunc", "args", "func")

    def __init__(
        self, func: Callable[..., _T], afunc: Callable[..., Awaitable[_T]], *args: object
    ) -> None:
        self.func = func
        self.afunc = afunc
        self.args = args

    def run(self) -> _T:
        return self.func(*self.args)

    def arun(self) -> Awaitable[_T]:
        return self.afunc(*self.args)
