"""Per-instance ORM bookkeeping (`instance._state`)."""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from typing import Self

LOADED_DB = "_loaded_db"
"""Key in an instance's `__dict__` naming the alias it was loaded from (or saved to) while
its `_state` has not been needed yet: row builders and bulk_create set it instead of making a
`ModelState` per row."""


PREFETCHED = "_prefetched_objects_cache"
"""Key in an instance's `__dict__` of {relation name: list of the related objects loaded by
prefetch_related()}; the related managers read them from there."""


class ModelState:
    """Whether the instance is not yet saved (`adding`), the alias it came from (`db`), and
    the related objects loaded for it (`fields_cache`, by field name).

    Defaults live on the class so that instances loaded from the database can be made
    without running `__init__` (see `loaded_state_class`).
    """

    db: str | None = None
    adding: bool = True

    def __init__(self, db: str | None = None, adding: bool = True) -> None:
        if db is not None:
            self.db = db
        if not adding:
            self.adding = False

    @cached_property
    def fields_cache(self) -> dict[str, object]:
        # Made on first use, then a plain attribute (in the state's __dict__).
        return {}

    def __repr__(self) -> str:
        return f"ModelState(db={self.db!r}, adding={self.adding})"

    def __reduce__(self) -> tuple[object, ...]:
        # Loaded instances use a generated subclass: pickle as a plain ModelState.
        return (ModelState, (self.db, self.adding))


@cache
def loaded_state_class(db: str) -> type[ModelState]:
    """A ModelState subclass whose bare instances (`object.__new__`) mean "loaded from `db`"."""
    return type("LoadedModelState", (ModelState,), {"db": db, "adding": False})


_new_state = object.__new__


class StateDescriptor:
    """`Model._state`: made on first access and then kept in the instance's `__dict__` (where
    plain attribute lookup finds it without calling this again). Most loaded instances are
    never asked for it, so not making one per row saves an object per row."""

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> ModelState: ...
    def __get__(self, instance: object, owner: type[Any] | None = None) -> ModelState | Self:
        if instance is None:
            return self
        d = instance.__dict__
        db: str | None = d.pop(LOADED_DB, None)
        if db is None:
            state = _new_state(ModelState)  # the class defaults: adding, no db
        else:
            state_class = loaded_state_class(db)
            state = state_class.__new__(state_class)
        d["_state"] = state
        return state


def is_model_instance(value: object) -> bool:
    """True for an instance of a model: only their classes carry the `_state` descriptor.
    (For the floors below `Model`, which cannot import it.)"""
    return type(getattr(type(value), "_state", None)) is StateDescriptor


def mark_saved(instance: object, alias: str) -> None:
    """The instance now mirrors a row of `alias`: `adding` False, `db` the alias."""
    d = instance.__dict__
    state: ModelState | None = d.get("_state")
    if state is None:
        d[LOADED_DB] = alias
    else:
        state.adding = False
        state.db = alias
