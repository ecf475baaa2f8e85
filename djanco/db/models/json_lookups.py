"""JSONField key transforms (`data__owner__name`) and JSON lookups, with Django's semantics.

A key path is kept on the resolved filter (`Resolved.keys`); the compiler asks
`key_expression()` for the value at that path in the form a lookup needs:

- "value": the JSON value (jsonb on PostgreSQL, JSON text elsewhere), read back decoded;
- "text": the value as text, strings unquoted (`icontains`, `startswith`, `regex`, ...);
- "compare": a value that orders as the JSON value does (`gt`, `lt`, ordering).

Each database spells these its own way (`wrapper.ops.json_key()` and the like). Key names
are bound as parameters (SQLAlchemy constants), never spliced into SQL.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

import djanco.db.models.lookups as lk
from djanco.core.exceptions import FieldError

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.fields.base import Field
    from djanco.db.models.sql.query import Resolved


def key_expression(
    col: ColumnElement[Any],
    field: Field[Any],
    keys: tuple[str, ...],
    ops: DatabaseOperations,
    mode: str,
) -> ColumnElement[Any]:
    """The value at `keys` in the JSON column `col` (see the module docstring for `mode`)."""
    if not keys:
        return col
    return ops.json_key(col, field.sa_type(), keys, mode)


class JSONLookup(lk.Lookup):
    """A lookup on a JSONField or on one of its keys; `keys` is the key path (maybe empty)."""

    __slots__ = ("keys",)

    keys: tuple[str, ...]

    @classmethod
    def build(cls, resolved: Resolved, value: object) -> lk.Lookup:
        if lk.is_expression(value) or lk.is_queryset(value):
            raise FieldError(f"'{cls.lookup_name}' on a JSONField needs a plain value.")
        lookup = cls(resolved.field, cls.prepare(resolved.field, value))
        lookup.keys = resolved.keys
        return lookup

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        field.get_prep_value(value)  # JSON serialisable, or a ValueError naming the field
        return [value]

    def shape(self) -> object:
        return (len(self.values), self.keys)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        out.extend(json.dumps(v) for v in self.values)


class KeyExact(JSONLookup):
    """`data__owner="x"`: the value at the key equals the JSON value (None: JSON null)."""

    lookup_name = "exact"

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        ops = ctx.ops
        return ops.json_comparable(lhs) == ops.json_value(ctx.bind(sa.String()))


def _items(value: object, message: str) -> list[object]:
    """The items of a list, tuple or set (a string is one value, not a sequence of them)."""
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set):
        raise TypeError(message)
    return list(value)


class KeyIn(JSONLookup):
    lookup_name = "in"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        return _items(value, f"The 'in' lookup on '{field.name}' needs a list, tuple or set.")

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        if not self.values:
            return sa.false()
        ops = ctx.ops
        values = [ops.json_value(ctx.bind(sa.String())) for _ in self.values]
        return ops.json_comparable(lhs).in_(values)


class KeyIsNull(JSONLookup):
    """`data__owner__isnull=True`: the key is missing (a JSON null is a value), as Django."""

    lookup_name = "isnull"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        return lk.IsNull.prepare(field, value)

    def shape(self) -> object:
        return (bool(self.values[0]), self.keys)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        pass

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        return lhs.is_(None) if self.values[0] else lhs.is_not(None)


class _KeyCompare(JSONLookup):
    """gt/gte/lt/lte on a key: as JSON values where the database orders them so
    (`ops.json_orders_as_json`), else as the key's plain value."""

    json_lhs = "compare"

    def op(self, lhs: Any, rhs: Any) -> Any:
        raise NotImplementedError

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        out.extend(ops.json_key_order_param(v) for v in self.values)

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        ops = ctx.ops
        rhs = ops.json_value(ctx.bind(sa.String())) if ops.json_orders_as_json else ctx.bind()
        return self.op(lhs, rhs)  # type: ignore[no-any-return]


def _key_compare(name: str) -> type[lk.Lookup]:
    """gt/gte/lt/lte on a key, with the comparison of the plain lookup `name`."""
    plain: type[Any] = lk.LOOKUPS[name]
    attrs = {"lookup_name": name, "op": plain.op, "__slots__": ()}
    return type(f"Key{plain.__name__}", (_KeyCompare,), attrs)


class DataContains(JSONLookup):
    """`data__contains={...}`: JSON containment (PostgreSQL @>, MariaDB JSON_CONTAINS)."""

    lookup_name = "contains"
    contained: ClassVar[bool] = False  # the column's value is in the given one (contained_by)

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        return ctx.ops.json_contains(lhs, ctx.bind(sa.String()), self.contained)


class ContainedBy(DataContains):
    lookup_name = "contained_by"
    contained = True


class HasKey(JSONLookup):
    """`data__has_key="k"` (also after keys: `data__owner__has_key="name"`)."""

    lookup_name = "has_key"
    connector: ClassVar[str] = "AND"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        return [str(value)]

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        out.extend(ops.json_key_param(str(v)) for v in self.values)

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        parts = [ctx.ops.json_has_key(lhs, ctx.bind(sa.Text())) for _ in self.values]
        if not parts:
            return sa.true() if self.connector == "AND" else sa.false()
        return sa.and_(*parts) if self.connector == "AND" else sa.or_(*parts)


class HasKeys(HasKey):
    lookup_name = "has_keys"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        message = f"The '{cls.lookup_name}' lookup on '{field.name}' needs a list."
        return [str(item) for item in _items(value, message)]


class HasAnyKeys(HasKeys):
    lookup_name = "has_any_keys"
    connector = "OR"


def _text_lookup(base: type[lk.Lookup]) -> type[lk.Lookup]:
    """A text lookup (`icontains`, `regex`, ...) on a key's value as text."""
    return type(f"KeyText{base.__name__}", (base,), {"json_lhs": "text", "__slots__": ()})


FIELD_LOOKUPS: dict[str, type[lk.Lookup]] = {
    cls.lookup_name: cls for cls in (DataContains, ContainedBy, HasKey, HasKeys, HasAnyKeys)
}
"""Lookups of a JSONField itself that differ from the ordinary ones."""

KEY_LOOKUPS: dict[str, type[lk.Lookup]] = {
    **FIELD_LOOKUPS,
    **{cls.lookup_name: cls for cls in (KeyExact, KeyIn, KeyIsNull)},
    **{name: _key_compare(name) for name in ("gt", "gte", "lt", "lte")},
    **{
        cls.lookup_name: _text_lookup(cls)
        for cls in (
            lk.IExact,
            lk.IContains,
            lk.StartsWith,
            lk.IStartsWith,
            lk.EndsWith,
            lk.IEndsWith,
            lk.Regex,
            lk.IRegex,
        )
    },
}
"""Lookups after a key transform (`data__owner__icontains`)."""


def json_lookup(name: str, keys: tuple[str, ...], field: Field[Any]) -> type[lk.Lookup]:
    """The lookup class `name` means on a JSONField (with `keys`: on the value at them)."""
    if not keys:
        return FIELD_LOOKUPS.get(name) or lk.LOOKUPS[name]
    found = KEY_LOOKUPS.get(name)
    if found is None:
        raise FieldError(
            f"Unsupported lookup '{name}' for the key transform '{'__'.join(keys)}' of "
            f"JSONField '{field.name}' of {field.model.__name__}. Valid lookups: "
            f"{', '.join(sorted(KEY_LOOKUPS))}."
        )
    return found


def lookup_names() -> frozenset[str]:
    """Every name that is a lookup (not a key) as the last part of a JSONField path."""
    return frozenset(lk.LOOKUPS) | frozenset(KEY_LOOKUPS)
