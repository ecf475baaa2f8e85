"""Meta.indexes and Meta.constraints: Index, UniqueConstraint (with `condition=`), CheckConstraint.

They become part of the model's SQLAlchemy Table, so creating the table creates them too.
Conditions are Q objects compiled to SQL with literal values (DDL has no parameters).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.core.exceptions import FieldError
from djanco.db.backends import DatabaseOperations
from djanco.db.models.query_utils import Q
from djanco.db.models.sql.compiler import SelectCompiler
from djanco.db.models.sql.query import Query

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.models.base import Model

__all__ = ["BaseConstraint", "CheckConstraint", "Index", "UniqueConstraint"]


def _columns(model: type[Model], table: sa.Table, names: Sequence[str]) -> list[Any]:
    cols: list[Any] = []
    for name in names:
        descending = name.startswith("-")
        field: Any = model._meta.get_field(name.lstrip("-"))
        column = getattr(field, "column", None)
        if column is None:
            raise FieldError(f"{model.__name__}: '{name}' is not a concrete field.")
        col = table.c[column]
        cols.append(col.desc() if descending else col)
    return cols


_STANDARD_SQL = DatabaseOperations(None)
"""The table (and so its constraints) is defined once for every database: standard SQL."""


def q_to_sql(model: type[Model], q: Q, table: sa.Table) -> ColumnElement[Any]:
    """A Q object over `model`'s own columns as a SQLAlchemy expression with literal values."""
    query = Query(model)
    node = query.q_to_node(q)
    values = iter(_params(node))

    class _Literal(SelectCompiler):
        def bind(self, type_: sa.types.TypeEngine[Any] | None = None) -> ColumnElement[Any]:
            return sa.literal(next(values), type_)

    compiler = _Literal(query, _STANDARD_SQL, base=table)
    expr = compiler.where(node)
    if compiler.joins:
        raise FieldError(f"{model.__name__}: constraint conditions cannot span relations.")
    return expr if expr is not None else sa.true()


def _params(node: Any) -> list[object]:
    out: list[object] = []
    for leaf in node.leaves():
        leaf.lookup.add_params(out, _STANDARD_SQL)
    return out


class BaseConstraint:
    def __init__(self, *, name: str) -> None:
        if not name:
            raise ValueError("A constraint needs a name.")
        self.name = name

    def sa_items(self, model: type[Model], table: sa.Table) -> list[Any]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: name={self.name!r}>"


class UniqueConstraint(BaseConstraint):
    """Unique values across `fields`; with `condition=Q(...)` only among matching rows
    (a partial unique index: PostgreSQL and SQLite; ignored on MySQL/MariaDB, as in Django)."""

    def __init__(self, *, fields: Sequence[str], name: str, condition: Q | None = None) -> None:
        super().__init__(name=name)
        if not fields:
            raise ValueError("UniqueConstraint needs at least one field.")
        self.fields = tuple(fields)
        self.condition = condition

    def sa_items(self, model: type[Model], table: sa.Table) -> list[Any]:
        cols = _columns(model, table, self.fields)
        if self.condition is None:
            return [sa.UniqueConstraint(*cols, name=self.name)]
        where = q_to_sql(model, self.condition, table)
        return [sa.Index(self.name, *cols, unique=True, postgresql_where=where, sqlite_where=where)]


class CheckConstraint(BaseConstraint):
    """Rows must satisfy `condition` (Django's `check=` is accepted too)."""

    def __init__(self, *, name: str, condition: Q | None = None, check: Q | None = None) -> None:
        super().__init__(name=name)
        chosen = condition if condition is not None else check
        if chosen is None:
            raise TypeError("CheckConstraint needs condition=Q(...).")
        self.condition = chosen

    def sa_items(self, model: type[Model], table: sa.Table) -> list[Any]:
        return [sa.CheckConstraint(q_to_sql(model, self.condition, table), name=self.name)]


class Index:
    """An index over `fields` ("-name" for descending), optionally `unique`."""

    def __init__(self, *, fields: Sequence[str], name: str | None = None) -> None:
        if not fields:
            raise ValueError("Index needs at least one field.")
        self.fields = tuple(fields)
        self.name = name

    def sa_items(self, model: type[Model], table: sa.Table) -> list[Any]:
        name = self.name or _index_name(table.name, self.fields)
        return [sa.Index(name, *_columns(model, table, self.fields))]

    def __repr__(self) -> str:
        return f"<Index: fields={list(self.fields)!r}>"


def _index_name(table: str, fields: Sequence[str]) -> str:
    import hashlib

    joined = "_".join(f.lstrip("-") for f in fields)
    digest = hashlib.md5(f"{table}:{joined}".encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{table[:20]}_{joined[:20]}_{digest}_idx"
