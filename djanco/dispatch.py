"""Signals: a sender announces that something happened; connected receivers are called.

Django's API: ``connect(receiver, sender=None, weak=True, dispatch_uid=None)``,
``disconnect``, ``send``, ``send_robust``, ``asend``, ``asend_robust``, ``has_listeners`` and
the ``@receiver`` decorator. Receivers are called in the order they were connected, with
``signal``, ``sender`` and the keyword arguments of the send.

A receiver may be a plain function or an ``async def``. ``asend()`` awaits async receivers
and calls sync ones; ``send()`` calls sync receivers and runs async ones to completion, so it
must not be called inside a running event loop when an async receiver is connected (use
``asend()`` there).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

__all__ = ["Receiver", "Signal", "receiver"]

Receiver: TypeAlias = Callable[..., object]
"""A receiver: called as ``receiver(signal=..., sender=..., **kwargs)``."""

_R = TypeVar("_R", bound=Receiver)

logger = logging.getLogger("djanco.dispatch")


@dataclass(frozen=True, slots=True)
class _Connection:
    key: tuple[object, int]
    """``(dispatch_uid or the receiver's identity, id(sender))``: one connection per key."""
    receiver: Callable[[], Receiver | None]
    """Gives the receiver, or None once a weakly referenced receiver is garbage collected."""
    sender: object
    """Only sends from this sender reach the receiver; None: every sender."""


class Signal:
    """Something receivers can listen for; ``send()`` calls each of them."""

    def __init__(self) -> None:
        self._connections: list[_Connection] = []
        self._lock = threading.Lock()
        self._dead_receivers = False  # set from weakref callbacks; swept under the lock

    def connect(
        self,
        receiver: Receiver,
        sender: object = None,
        weak: bool = True,
        dispatch_uid: str | None = None,
    ) -> None:
        """Call ``receiver`` on every send (only on sends from ``sender``, if given).

        With ``weak`` (the default), the signal holds a weak reference: a receiver that is
        otherwise unreferenced (a lambda, a function local to another) is disconnected when it
        is garbage collected. Connecting again with the same ``dispatch_uid`` (or the same
        receiver) and sender does nothing.
        """
        if not callable(receiver):
            raise TypeError(f"Signal receivers must be callable, not {receiver!r}.")
        key = (dispatch_uid or _identity(receiver), id(sender))
        reference: Callable[[], Receiver | None]
        if not weak:
            reference = _Strong(receiver)
        elif inspect.ismethod(receiver):
            reference = weakref.WeakMethod(receiver, self._flag_dead)
        else:
            reference = weakref.ref(receiver, self._flag_dead)
        with self._lock:
            self._sweep()
            if not any(connection.key == key for connection in self._connections):
                self._connections = [*self._connections, _Connection(key, reference, sender)]

    def disconnect(
        self,
        receiver: Receiver | None = None,
        sender: object = None,
        dispatch_uid: str | None = None,
    ) -> bool:
        """Disconnect ``receiver`` (or the ``dispatch_uid`` connection) for ``sender``.

        Returns whether a receiver was disconnected.
        """
        key = (dispatch_uid or _identity(receiver), id(sender))
        with self._lock:
            self._sweep()
            kept = [connection for connection in self._connections if connection.key != key]
            disconnected = len(kept) != len(self._connections)
            self._connections = kept
        return disconnected

    def has_listeners(self, sender: object = None) -> bool:
        """Whether a send from ``sender`` would reach any receiver."""
        return bool(self._connections) and bool(self._live_receivers(sender))

    def send(self, sender: object, **named: object) -> list[tuple[Receiver, object]]:
        """Call every receiver for ``sender``; a receiver's exception propagates.

        Returns ``(receiver, response)`` pairs, in call order.
        """
        responses: list[tuple[Receiver, object]] = []
        for receiver in self._live_receivers(sender):
            responses.append((receiver, _run(receiver(signal=self, sender=sender, **named))))
        return responses

    def send_robust(self, sender: object, **named: object) -> list[tuple[Receiver, object]]:
        """Like ``send()``, but a receiver's exception is logged and returned as its response,
        and the remaining receivers are still called."""
        responses: list[tuple[Receiver, object]] = []
        for receiver in self._live_receivers(sender):
            try:
                response = _run(receiver(signal=self, sender=sender, **named))
            except Exception as exc:
                _log_failure(receiver, exc, "send_robust")
                response = exc
            responses.append((receiver, response))
        return responses

    async def asend(self, sender: object, **named: object) -> list[tuple[Receiver, object]]:
        """Async form of ``send()``: async receivers are awaited, one after the other."""
        responses: list[tuple[Receiver, object]] = []
        for receiver in self._live_receivers(sender):
            response = receiver(signal=self, sender=sender, **named)
            if inspect.isawaitable(response):
                response = await response
            responses.append((receiver, response))
        return responses

    async def asend_robust(self, sender: object, **named: object) -> list[tuple[Receiver, object]]:
        """Async form of ``send_robust()``."""
        responses: list[tuple[Receiver, object]] = []
        for receiver in self._live_receivers(sender):
            try:
                response = receiver(signal=self, sender=sender, **named)
                if inspect.isawaitable(response):
                    response = await response
            except Exception as exc:
                _log_failure(receiver, exc, "asend_robust")
                response = exc
            responses.append((receiver, response))
        return responses

    def _live_receivers(self, sender: object) -> list[Receiver]:
        if self._dead_receivers:
            with self._lock:
                self._sweep()
        receivers: list[Receiver] = []
        for connection in self._connections:  # replaced, never mutated: safe to iterate
            if connection.sender is None or connection.sender is sender:
                live = connection.receiver()
                if live is not None:
                    receivers.append(live)
        return receivers

    def _flag_dead(self, reference: object) -> None:
        # Called by the garbage collector, possibly while the lock is held: only flag here.
        self._dead_receivers = True

    def _sweep(self) -> None:
        if self._dead_receivers:
            self._dead_receivers = False
            self._connections = [c for c in self._connections if c.receiver() is not None]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class _Strong:
    """A strong reference with the weak reference's call interface."""

    __slots__ = ("_receiver",)

    def __init__(self, receiver: Receiver) -> None:
        self._receiver = receiver

    def __call__(self) -> Receiver:
        return self._receiver


def receiver(
    signal: Signal | Sequence[Signal],
    *,
    sender: object = None,
    weak: bool = True,
    dispatch_uid: str | None = None,
) -> Callable[[_R], _R]:
    """Decorator connecting the function to ``signal`` (or to each of a list of signals):
    ``@receiver(post_save, sender=Article)``."""
    signals = [signal] if isinstance(signal, Signal) else list(signal)

    def decorate(function: _R) -> _R:
        for each in signals:
            each.connect(function, sender=sender, weak=weak, dispatch_uid=dispatch_uid)
        return function

    return decorate


def _identity(receiver: object) -> object:
    # A bound method is a new object on each attribute access: identify it by its parts.
    if inspect.ismethod(receiver):
        return (id(receiver.__self__), id(receiver.__func__))
    return id(receiver)


def _run(response: object) -> object:
    """A sync send's response: an async receiver's awaitable is run to completion."""
    if inspect.isawaitable(response):
        return asyncio.run(_await(response))
    return response


async def _await(awaitable: Awaitable[object]) -> object:
    return await awaitable


def _log_failure(receiver: Receiver, exc: Exception, method: str) -> None:
    name = getattr(receiver, "__qualname__", repr(receiver))
    logger.error("Error calling %s in Signal.%s() (%s)", name, method, exc, exc_info=exc)
