"""JSONField key transforms (`data__owner__name`) and JSON lookups, with Django's semantics.

A key path is kept on the resolved filter (`Resolved.keys`); the compiler asks
`key_expression()` for the value at that path in the form a lookup needs:

- "value": the JSON value (jsonb on PostgreSQL, JSON text elsewhere), read back decoded;
- "text": the value as text, strings unquoted (`icontains`, `startswith`, `regex`, ...);
- "compare": a value that orders as the JSON value does (`gt`, `lt`, ordering).

Key names are bound as parameters (SQLAlchemy constants), never spliced into SQL.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import djanco.db.models.lookups as lk
from djanco.core.exceptions import FieldError
from djanco.db.utils import NotSupportedError

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.models.fields.base import Field
    from djanco.db.models.sql.query import Resolved


def _index(key: str) -> int | None:
    """A key made of digits indexes an array, as in Django (`data__tags__0`)."""
    return int(key) if key.isdigit() else None


def json_path(keys: tuple[str, ...], final_is_key: bool = False) -> str:
    """`$."a"[0]."b"` for SQLite/MariaDB; the last key is never an index if `final_is_key`."""
    out = "$"
    for i, key in enumerate(keys):
        index = _index(key)
        if index is not None and not (final_is_key and i == len(keys) - 1):
            out += f"[{index}]"
        else:
            out += "." + json.dumps(key)
    return out


def _pg_key(key: str) -> ColumnElement[Any]:
    index = _index(key)
    if index is not None:
        return sa.literal_column(str(index))  # jsonb -> integer: an array element
    return sa.literal(key, sa.Text())


def key_expression(
    col: ColumnElement[Any], field: Field[Any], keys: tuple[str, ...], vendor: str, mode: str
) -> ColumnElement[Any]:
    """The value at `keys` in the JSON column `col` (see the module docstring for `mode`)."""
    if not keys:
        return col
    json_type = field.sa_type()
    if vendor == "postgresql":
        value: ColumnElement[Any] = col
        last = len(keys) - 1
        for i, key in enumerate(keys):
            text = mode == "text" and i == last
            value = value.op("->>" if text else "->", return_type=sa.Text() if text else json_type)(
                _pg_key(key)
            )
        return value
    path = sa.literal(json_path(keys), sa.String())
    if vendor == "sqlite":
        if mode == "value":  # JSON text (SQLite 3.38+): strings quoted, true/false kept
            return sa.type_coerce(col.op("->")(path), json_type)
        return sa.func.json_extract(col, path, type_=sa.String() if mode == "text" else None)
    extracted = sa.func.json_extract(col, path)
    if mode == "value":
        return sa.type_coerce(extracted, json_type)
    # MariaDB stores JSON as text: unquoted, a number compares with a bound number as one.
    unquoted = sa.func.json_unquote(extracted, type_=sa.String())
    if mode == "text":
        # As CHAR it takes the connection's (case-insensitive) collation, not JSON's binary
        # one, so `icontains` ignores case (`contains`-style lookups add BINARY as elsewhere).
        return sa.cast(unquoted, sa.String())
    return unquoted


def _json_param(value: object) -> str:
    return json.dumps(value)


def _as_json(bind: ColumnElement[Any], vendor: str) -> ColumnElement[Any]:
    """A bound JSON text as a JSON value comparable with `key_expression(..., "value")`."""
    if vendor == "postgresql":
        return sa.cast(bind, postgresql.JSONB())
    if vendor == "sqlite":
        return sa.func.json(bind)  # minified, as `->` returns it
    return sa.func.json_compact(bind)


class JSONLookup(lk.Lookup):
    """A lookup on a JSONField or on one of its keys; `keys` is the key path (maybe empty)."""

    __slots__ = ("keys",)

    keys: tuple[str, ...]

    @classmethod
    def build(cls, resolved: Resolved, value: object) -> lk.Lookup:
        if lk._is_expression(value) or lk._is_queryset(value):
            raise FieldError(f"'{cls.lookup_name}' on a JSONField needs a plain value.")
        lookup = cls(resolved.field, cls.prepare(resolved.field, value))
        lookup.keys = resolved.keys
        return lookup

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        field.get_db_prep_value(value, "")  # JSON serialisable, or a ValueError naming the field
        return [value]

    def shape(self) -> object:
        return (len(self.values), self.keys)

    def add_params(self, out: list[object], vendor: str) -> None:
        out.extend(_json_param(v) for v in self.values)


class KeyExact(JSONLookup):
    """`data__owner="x"`: the value at the key equals the JSON value (None: JSON null)."""

    lookup_name = "exact"

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        if ctx.vendor == "mysql":
            lhs = sa.func.json_compact(lhs)
        return lhs == _as_json(ctx.bind(sa.String()), ctx.vendor)


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
        if ctx.vendor == "mysql":
            lhs = sa.func.json_compact(lhs)
        return lhs.in_([_as_json(ctx.bind(sa.String()), ctx.vendor) for _ in self.values])


class KeyIsNull(JSONLookup):
    """`data__owner__isnull=True`: the key is missing (a JSON null is a value), as Django."""

    lookup_name = "isnull"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        return lk.IsNull.prepare(field, value)

    def shape(self) -> object:
        return (bool(self.values[0]), self.keys)

    def add_params(self, out: list[object], vendor: str) -> None:
        pass

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        return lhs.is_(None) if self.values[0] else lhs.is_not(None)


class _KeyCompare(JSONLookup):
    """gt/gte/lt/lte on a key: JSON ordering on PostgreSQL, the native value elsewhere."""

    json_lhs = "compare"

    def op(self, lhs: Any, rhs: Any) -> Any:
        raise NotImplementedError

    def add_params(self, out: list[object], vendor: str) -> None:
        if vendor == "postgresql":
            super().add_params(out, vendor)
        else:
            out.extend(self.values)

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        if ctx.vendor == "postgresql":
            rhs = _as_json(ctx.bind(sa.String()), ctx.vendor)
        else:
            rhs = ctx.bind()
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
        _check_contains(self.lookup_name, ctx.vendor)
        rhs = ctx.bind(sa.String())
        if ctx.vendor == "postgresql":
            return lhs.op("<@" if self.contained else "@>")(_as_json(rhs, ctx.vendor))
        whole, part = (rhs, lhs) if self.contained else (lhs, rhs)
        return sa.func.json_contains(whole, part) == 1


class ContainedBy(DataContains):
    lookup_name = "contained_by"
    contained = True


def _check_contains(name: str, vendor: str) -> None:
    if vendor == "sqlite":  # Django's message: SQLite has no JSON containment
        raise NotSupportedError(f"{name} lookup is not supported on this database backend.")


class HasKey(JSONLookup):
    """`data__has_key="k"` (also after keys: `data__owner__has_key="name"`)."""

    lookup_name = "has_key"
    connector: ClassVar[str] = "AND"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        return [str(value)]

    def add_params(self, out: list[object], vendor: str) -> None:
        if vendor == "postgresql":
            out.extend(self.values)
        else:
            out.extend(json_path((str(v),), final_is_key=True) for v in self.values)

    def as_sa(self, lhs: ColumnElement[Any], ctx: lk.CompileContext) -> ColumnElement[Any]:
        parts: list[ColumnElement[Any]] = []
        for _ in self.values:
            key = ctx.bind(sa.Text())
            if ctx.vendor == "postgresql":
                parts.append(lhs.op("?")(key))
            elif ctx.vendor == "sqlite":
                parts.append(sa.func.json_type(lhs, key).is_not(None))
            else:
                parts.append(sa.func.json_contains_path(lhs, sa.literal_column("'one'"), key) == 1)
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
