"""Every field class djanco.db.models exports has its instance types asserted in
tests/typing/fields_types.py, which CI type-checks with mypy --strict and pyright.

The field __init__ overloads that give ``null=True`` its ``| None`` are copied from class to
class; these tests make sure a new field class cannot be exported without the assertions
that would catch a copy mistake.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from djanco.db import models

TYPING_FILE = Path(__file__).resolve().parents[2] / "typing" / "fields_types.py"


@dataclass(frozen=True)
class Declaration:
    attribute: str
    field_class: str
    null: bool
    refused: bool
    """The declaration carries a type: ignore: the checkers refuse it (null on a primary key)."""


def _exported_field_classes() -> set[str]:
    return {
        name
        for name in models.__all__
        if isinstance(obj := getattr(models, name), type)
        and issubclass(obj, models.Field)
        and obj is not models.Field
    }


def _declarations(tree: ast.Module, lines: list[str]) -> Iterator[Declaration]:
    """``attribute = models.SomeField(...)`` in the model classes of the file."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if not (
                isinstance(statement, ast.Assign)
                and isinstance(target := statement.targets[0], ast.Name)
                and isinstance(call := statement.value, ast.Call)
                and isinstance(function := call.func, ast.Attribute)
                and isinstance(function.value, ast.Name)
                and function.value.id == "models"
            ):
                continue
            null = any(
                keyword.arg == "null"
                and isinstance(keyword.value, ast.Constant)
                and keyword.value.value is True
                for keyword in call.keywords
            )
            source = lines[statement.lineno - 1 : statement.end_lineno]
            refused = any("type: ignore[call" in line for line in source)
            yield Declaration(target.id, function.attr, null, refused)


def _asserted_attributes(tree: ast.Module) -> set[str]:
    """The ``x`` of every ``assert_type(obj.x, T)``."""
    return {
        call.args[0].attr
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "assert_type"
        and isinstance(call.args[0], ast.Attribute)
    }


def _parse() -> tuple[ast.Module, list[Declaration]]:
    source = TYPING_FILE.read_text()
    tree = ast.parse(source)
    return tree, list(_declarations(tree, source.splitlines()))


def test_every_exported_field_class_is_declared_with_and_without_null() -> None:
    _, declarations = _parse()
    without_null = {d.field_class for d in declarations if not d.null}
    with_null = {d.field_class for d in declarations if d.null}
    exported = _exported_field_classes()

    assert exported, "djanco.db.models exports no field class?"
    assert sorted(exported - without_null) == [], "declare these in fields_types.py"
    assert sorted(exported - with_null) == [], "declare these with null=True in fields_types.py"


def test_every_declared_field_has_its_type_asserted() -> None:
    tree, declarations = _parse()
    asserted = _asserted_attributes(tree)

    unasserted = [d.attribute for d in declarations if not d.refused]
    assert [name for name in unasserted if name not in asserted] == []
