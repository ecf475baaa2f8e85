"""Write statements (INSERT, UPDATE, DELETE) compiled once per shape and database.

A statement's bind parameters are numbered p0, p1, ... in the order its builder adds them;
`Statement.values()` puts a list of values in the order the compiled SQL wants them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from djanco.db.backends import CompiledQuery, DatabaseWrapper, Params

__all__ = ["Statement", "bind_values", "cached_statement", "clear_statements", "param_order"]


def param_order(names: tuple[str, ...]) -> tuple[tuple[int, ...] | None, bool]:
    """How to pass values numbered p0..pn for placeholders `names`: (reordering, by name?)."""
    if not all(n[:1] == "p" and n[1:].isdigit() for n in names):
        return None, True  # SQLAlchemy added its own constants: bind by name
    order = tuple(int(n[1:]) for n in names)
    return (None if order == tuple(range(len(order))) else order), False


def bind_values(values: list[object], order: tuple[int, ...] | None, by_name: bool) -> Params:
    if by_name:
        return {f"p{i}": v for i, v in enumerate(values)}
    if order is not None:
        return [values[i] for i in order]
    return values


class Statement:
    """A compiled statement plus the order in which to pass our p0..pn values."""

    __slots__ = ("by_name", "order", "query")

    def __init__(self, query: CompiledQuery) -> None:
        self.query = query
        self.order, self.by_name = param_order(query.names)

    def values(self, values: list[object]) -> Params:
        return bind_values(values, self.order, self.by_name)


_caches: weakref.WeakKeyDictionary[DatabaseWrapper, dict[object, Statement]] = (
    weakref.WeakKeyDictionary()
)
_MAX_CACHED = 2000


def cached_statement(wrapper: DatabaseWrapper, key: object, build: Callable[[], Any]) -> Statement:
    """The statement `build()` makes for the shape `key`, compiled for `wrapper` once."""
    cache = _caches.get(wrapper)
    if cache is None:
        cache = _caches[wrapper] = {}
    stmt = cache.get(key)
    if stmt is None:
        if len(cache) > _MAX_CACHED:
            cache.clear()
        stmt = cache[key] = Statement(wrapper.compile(build()))
    return stmt


def clear_statements() -> None:
    _caches.clear()
