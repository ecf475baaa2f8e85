"""Per-instance ORM bookkeeping (`instance._state`)."""

from __future__ import annotations

from functools import cache


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

    @property
    def fields_cache(self) -> dict[str, object]:
        cached: dict[str, object] | None = self.__dict__.get("_fields_cache")
        if cached is None:
            cached = self.__dict__["_fields_cache"] = {}
        return cached

    def __repr__(self) -> str:
        return f"ModelState(db={self.db!r}, adding={self.adding})"

    def __reduce__(self) -> tuple[object, ...]:
        # Loaded instances use a generated subclass: pickle as a plain ModelState.
        return (ModelState, (self.db, self.adding))


@cache
def loaded_state_class(db: str) -> type[ModelState]:
    """A ModelState subclass whose bare instances (`object.__new__`) mean "loaded from `db`"."""
    return type("LoadedModelState", (ModelState,), {"db": db, "adding": False})
