"""Model signals: pre_save, post_save, pre_delete, post_delete, m2m_changed.

Receivers may be plain functions or `async def`. `asave()`/`adelete()`/`aadd()`... await async
receivers and call sync ones; the sync forms call sync receivers and run async ones to
completion (there is no running event loop in sync ORM code).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "ModelSignal",
    "m2m_changed",
    "post_delete",
    "post_save",
    "pre_delete",
    "pre_save",
    "receiver",
]

Receiver = Callable[..., Any]
_R = TypeVar("_R", bound=Receiver)


class ModelSignal:
    """A signal sent by models: receivers are called with `sender` and keyword arguments."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[tuple[object, Receiver, type | None]] = []

    def connect(
        self, receiver: Receiver, sender: type | None = None, dispatch_uid: str | None = None
    ) -> None:
        """Call `receiver(sender=..., **kwargs)` on each send (only for `sender`, if given)."""
        key = (dispatch_uid or id(receiver), sender)
        if not any(k == key for k, _, _ in self._receivers):
            self._receivers.append((key, receiver, sender))

    def disconnect(
        self,
        receiver: Receiver | None = None,
        sender: type | None = None,
        dispatch_uid: str | None = None,
    ) -> bool:
        key = (dispatch_uid or id(receiver), sender)
        before = len(self._receivers)
        self._receivers = [r for r in self._receivers if r[0] != key]
        return len(self._receivers) != before

    def has_listeners(self, sender: type | None = None) -> bool:
        return any(s is None or s is sender for _, _, s in self._receivers)

    def _live(self, sender: type) -> list[Receiver]:
        return [r for _, r, s in self._receivers if s is None or s is sender]

    def send(self, sender: type, **kwargs: object) -> list[tuple[Receiver, object]]:
        """Call every receiver for `sender`; async receivers are run to completion."""
        results: list[tuple[Receiver, object]] = []
        for receiver in self._live(sender):
            result = receiver(signal=self, sender=sender, **kwargs)
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
            results.append((receiver, result))
        return results

    async def asend(self, sender: type, **kwargs: object) -> list[tuple[Receiver, object]]:
        """Async form of `send()`: async receivers are awaited."""
        results: list[tuple[Receiver, object]] = []
        for receiver in self._live(sender):
            result = receiver(signal=self, sender=sender, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            results.append((receiver, result))
        return results

    def __repr__(self) -> str:
        return f"<ModelSignal: {self.name}>"


async def _await(awaitable: Any) -> object:
    return await awaitable


def receiver(signal: ModelSignal, *, sender: type | None = None) -> Callable[[_R], _R]:
    """Decorator: `@receiver(post_save, sender=Article)`."""

    def decorate(func: _R) -> _R:
        signal.connect(func, sender=sender)
        return func

    return decorate


pre_save = ModelSignal("pre_save")
post_save = ModelSignal("post_save")
pre_delete = ModelSignal("pre_delete")
post_delete = ModelSignal("post_delete")
m2m_changed = ModelSignal("m2m_changed")
