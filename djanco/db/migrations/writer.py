"""``MigrationWriter``: a migration as Python source — readable, ``ruff format`` clean, and
byte-identical for the same operations (no dates, stable order)."""

from __future__ import annotations

import datetime
import decimal
import enum
import types
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from djanco.db import models
from djanco.db.migrations.exceptions import InvalidModelError
from djanco.db.migrations.fieldspec import FieldSpec
from djanco.db.migrations.functions import FunctionCopier, in_migration_file
from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.operations.special import noop
from djanco.db.migrations.state import ConstraintSpec, IndexSpec
from djanco.db.models import Q

if TYPE_CHECKING:
    from djanco.db.migrations.migration import Migration

LINE_LENGTH = 100
_INDENT = "    "
_MODELS = "djanco.db.models"


class _Call:
    """``func(arg, key=value, ...)`` to render."""

    def __init__(self, func: str, args: list[Any], kwargs: list[tuple[str, Any]]) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs


class _Raw:
    def __init__(self, text: str) -> None:
        self.text = text


class Serializer:
    def __init__(self) -> None:
        self.imports: set[str] = set()
        self.copier = FunctionCopier()

    def reference(self, obj: Any) -> str:
        """The dotted name of a class or function, importing what it needs (a function of a
        migration file is copied into the new one)."""
        if obj is noop:
            return "migrations.RunPython.noop"
        if in_migration_file(obj):
            return self.copier.copy(obj)
        module = getattr(obj, "__module__", None)
        qualname = getattr(obj, "__qualname__", None)
        if module is None or qualname is None or "<" in qualname:
            raise InvalidModelError(
                f"Cannot serialise {obj!r} into a migration: use a module-level function or class."
            )
        name = getattr(obj, "__name__", "")
        if getattr(models, name, None) is obj:
            return f"models.{name}"
        self.imports.add(f"import {module}")
        return f"{module}.{qualname}"

    def convert(self, value: Any) -> Any:
        """Turn operations, fields and values into _Call/_Raw/containers."""
        if isinstance(value, Operation):
            kwargs = list(value.deconstruct().items())
            return _Call(f"migrations.{type(value).__name__}", [], self._convert_kwargs(kwargs))
        if isinstance(value, FieldSpec):
            module, _, name = value.path.rpartition(".")
            if module == _MODELS:
                func = f"models.{name}"
                if name == "ManyToManyField":
                    # The target is a string here, which leaves the field's model type
                    # unsolved (pyright strict: "partially unknown"); name it explicitly.
                    func += "[models.Model]"
            else:
                self.imports.add(f"import {module}")
                func = value.path
            return _Call(func, [], self._convert_kwargs(list(value.kwargs.items())))
        if isinstance(value, IndexSpec):
            index_kwargs: list[tuple[str, Any]] = [("fields", list(value.fields))]
            if value.name is not None:
                index_kwargs.append(("name", value.name))
            return _Call("models.Index", [], self._convert_kwargs(index_kwargs))
        if isinstance(value, ConstraintSpec):
            constraint_kwargs: list[tuple[str, Any]] = []
            if value.kind == "unique":
                constraint_kwargs.append(("fields", list(value.fields)))
            if value.condition is not None:
                constraint_kwargs.append(("condition", value.condition))
            constraint_kwargs.append(("name", value.name))
            func = "models.CheckConstraint" if value.kind == "check" else "models.UniqueConstraint"
            return _Call(func, [], self._convert_kwargs(constraint_kwargs))
        if isinstance(value, Q):
            q_args = [self.convert(c) for c in value.children if isinstance(c, Q)]
            q_kwargs = [(str(c[0]), c[1]) for c in value.children if not isinstance(c, Q)]
            if value.connector != Q.AND:
                q_kwargs.append(("_connector", value.connector))
            if value.negated:
                q_kwargs.append(("_negated", True))
            return _Call("models.Q", q_args, self._convert_kwargs(q_kwargs))
        if value is None or isinstance(value, bool | int | float | str | bytes):
            return _Raw(_literal(value))
        if isinstance(value, decimal.Decimal):
            self.imports.add("import decimal")
            return _Raw(f'decimal.Decimal("{value}")')
        if isinstance(value, uuid.UUID):
            self.imports.add("import uuid")
            return _Raw(f'uuid.UUID("{value}")')
        if isinstance(
            value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta
        ):
            self.imports.add("import datetime")
            return _Raw(f"datetime.{value!r}")
        if isinstance(value, enum.Enum):
            return _Raw(f"{self.reference(type(value))}[{_literal(value.name)}]")
        if isinstance(value, list):
            return [self.convert(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.convert(v) for v in value)
        if isinstance(value, dict):
            return {k: self.convert(v) for k, v in value.items()}
        if isinstance(value, type | types.FunctionType | types.BuiltinFunctionType):
            return _Raw(self.reference(value))
        if isinstance(value, Callable):  # type: ignore[arg-type]
            return _Raw(self.reference(value))
        raise InvalidModelError(f"Cannot serialise {value!r} into a migration.")

    def _convert_kwargs(self, kwargs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        return [(k, self.convert(v)) for k, v in kwargs]


def _literal(value: object) -> str:
    if isinstance(value, str):
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


# --- rendering ----------------------------------------------------------------------------------


def _inline(node: Any) -> str:
    if isinstance(node, _Raw):
        return node.text
    if isinstance(node, _Call):
        parts = [_inline(a) for a in node.args] + [f"{k}={_inline(v)}" for k, v in node.kwargs]
        return f"{node.func}({', '.join(parts)})"
    if isinstance(node, list):
        return "[" + ", ".join(_inline(v) for v in node) + "]"
    if isinstance(node, tuple):
        if len(node) == 1:
            return f"({_inline(node[0])},)"
        return "(" + ", ".join(_inline(v) for v in node) + ")"
    if isinstance(node, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_inline(v)}" for k, v in node.items()) + "}"
    raise TypeError(node)


def _is_empty(node: Any) -> bool:
    if isinstance(node, _Call):
        return not node.args and not node.kwargs
    return isinstance(node, list | tuple | dict) and not node


def render(
    node: Any, indent: int, prefix: str = "", suffix: str = "", explode: bool = False
) -> str:
    """``prefix + node + suffix`` at ``indent`` levels: on one line if it fits (and is not forced
    open), else one item per line with trailing commas, as ``ruff format`` does."""
    pad = _INDENT * indent
    flat = f"{pad}{prefix}{_inline(node)}{suffix}"
    if isinstance(node, _Raw) or _is_empty(node):
        return flat
    if not explode and len(flat) <= LINE_LENGTH:
        return flat
    if isinstance(node, _Call):
        opening, closing = f"{node.func}(", ")"
        items = [render(a, indent + 1, suffix=",") for a in node.args]
        items += [render(v, indent + 1, prefix=f"{k}=", suffix=",") for k, v in node.kwargs]
    elif isinstance(node, list):
        opening, closing = "[", "]"
        items = [render(v, indent + 1, suffix=",") for v in node]
    elif isinstance(node, tuple):
        opening, closing = "(", ")"
        items = [render(v, indent + 1, suffix=",") for v in node]
    else:
        opening, closing = "{", "}"
        items = [
            render(v, indent + 1, prefix=f"{_literal(k)}: ", suffix=",") for k, v in node.items()
        ]
    return "\n".join([f"{pad}{prefix}{opening}", *items, f"{pad}{closing}{suffix}"])


class MigrationWriter:
    """``as_string()`` is the file's text; ``filename`` its name (``NNNN_name.py``)."""

    def __init__(self, migration: Migration) -> None:
        self.migration = migration
        self.warnings: list[str] = []
        """What ``as_string`` could not write safely (functions to copy by hand)."""

    @property
    def filename(self) -> str:
        return f"{self.migration.name}.py"

    def as_string(self) -> str:
        serializer = Serializer()
        operations = [serializer.convert(op) for op in self.migration.operations]
        dependencies = [tuple(d) for d in self.migration.dependencies]
        body: list[str] = []
        if self.migration.initial:
            body += [f"{_INDENT}initial = True", ""]
        if self.migration.replaces:
            replaces = [_Raw(_inline(serializer.convert(r))) for r in self.migration.replaces]
            body += [render(replaces, 1, prefix="replaces = ", explode=True), ""]
        body.append(
            render(
                [_Raw(_inline(serializer.convert(d))) for d in dependencies],
                1,
                prefix="dependencies = ",
                explode=bool(dependencies),
            )
        )
        body.append("")
        body.append(render(operations, 1, prefix="operations = ", explode=bool(operations)))
        copier = serializer.copier
        self.warnings = list(copier.warnings)
        functions = [f"{source.rstrip()}\n\n" for source in copier.functions.values()]
        imports = sorted(serializer.imports | copier.imports)
        uses_models = copier.uses_models or any("models." in line for line in body)
        from_line = (
            "from djanco.db import migrations, models"
            if uses_models
            else ("from djanco.db import migrations")
        )
        head = ['"""Generated by Djanco."""', ""]
        if imports:
            head += [*imports, ""]
        head += [from_line, "", "", *functions]
        return "\n".join([*head, "class Migration(migrations.Migration):", *body]) + "\n"
