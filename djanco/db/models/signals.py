"""Model signals: pre_save, post_save, pre_delete, post_delete, m2m_changed.

Each is a ``djanco.dispatch.Signal``: receivers may be plain functions or ``async def``.
``asave()``/``adelete()``/``aadd()``... await async receivers and call sync ones; the sync
forms call sync receivers and run async ones to completion (there is no running event loop in
sync ORM code).
"""

from __future__ import annotations

from djanco.dispatch import Receiver, Signal, receiver

__all__ = [
    "ModelSignal",
    "Receiver",
    "m2m_changed",
    "post_delete",
    "post_save",
    "pre_delete",
    "pre_save",
    "receiver",
]


class ModelSignal(Signal):
    """A signal sent by models, with the model class as ``sender``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def __repr__(self) -> str:
        return f"<ModelSignal: {self.name}>"


pre_save = ModelSignal("pre_save")
post_save = ModelSignal("post_save")
pre_delete = ModelSignal("pre_delete")
post_delete = ModelSignal("post_delete")
m2m_changed = ModelSignal("m2m_changed")
