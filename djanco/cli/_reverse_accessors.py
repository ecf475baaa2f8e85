"""Reverse accessors a model's class does not declare (``typing.I001``).

``tag.articles``, added at run time by ``ManyToManyField(Tag, related_name="articles")`` on
Article, is invisible to type checkers until ``Tag`` declares
``articles: models.ManyRelatedManager["Article"]``. No plugin can infer it, so ``djanco
check`` names each missing declaration and ``djanco check --fix`` writes them (see
``djanco.cli._accessor_declarations``). Only public model metadata is read
(``Model._meta.related_objects``); what a class declares is read from its source, which is
what type checkers read, so a fix written a moment ago counts.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from djanco.apps import AppConfig
from djanco.core.checks import CheckMessage, Info, register
from djanco.db.migrations.project import installed_models
from djanco.db.models import Model

TAG = "typing"


@dataclass(frozen=True)
class Undeclared:
    """A reverse accessor missing from its model's class body."""

    model: type[Model]
    accessor: str
    related_model: type[Model]
    via: str  # the relation creating it, e.g. "Article.tags"
    kind: str  # "RelatedManager", "ManyRelatedManager" or "" (a one-to-one: the instance)

    @property
    def annotation(self) -> str:
        target = f'"{self.related_model.__name__}"'
        return f"models.{self.kind}[{target}]" if self.kind else target

    @property
    def line(self) -> str:
        return f"{self.accessor}: {self.annotation}"

    @property
    def needs_import(self) -> bool:
        return self.related_model.__module__ != self.model.__module__


def undeclared_accessors(app_configs: Sequence[AppConfig] | None = None) -> list[Undeclared]:
    """Every reverse accessor of the (named apps') models that their class does not declare."""
    labels = None if app_configs is None else {config.label for config in app_configs}
    found: list[Undeclared] = []
    for model in installed_models():
        if model._meta.auto_created or (labels is not None and model._meta.app_label not in labels):
            continue
        declared = _declared_names(model)
        for rel in model._meta.related_objects:
            accessor = rel.accessor_name
            if accessor is None or accessor in declared or rel.related_model._meta.auto_created:
                continue
            kind = (
                "ManyRelatedManager"
                if rel.many_to_many
                else "RelatedManager"
                if rel.multiple
                else ""
            )
            via = f"{rel.related_model.__name__}.{rel.field.name}"
            found.append(Undeclared(model, accessor, rel.related_model, via, kind))
    return found


@register(TAG)
def check_reverse_accessors(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """typing.I001: a reverse accessor the model's class does not declare."""
    messages: list[CheckMessage] = []
    for item in undeclared_accessors(app_configs):
        name = item.model.__name__
        where = source_file(item.model)
        importing = (
            f', with "from {item.related_model.__module__} import '
            f'{item.related_model.__name__}" under "if TYPE_CHECKING:"'
            if item.needs_import
            else ""
        )
        messages.append(
            Info(
                f"The reverse accessor {name}.{item.accessor} (from {item.via}) is not declared, "
                f"so type checkers reject {name.lower()}.{item.accessor}.",
                hint=f"Add `{item.line}` to class {name}"
                + (f" in {shown(where)}" if where else "")
                + f"{importing}, or run `djanco check --fix`.",
                obj=item.model._meta.label,
                id="typing.I001",
            )
        )
    return messages


def shown(path: Path) -> str:
    """``path`` as a user would type it: relative to the working directory when inside it."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def source_file(model: type[Model]) -> Path | None:
    """The file defining ``model``, if it has one."""
    try:
        name = inspect.getsourcefile(model)
    except TypeError:  # defined outside any file
        return None
    return Path(name) if name else None


def class_node(tree: ast.Module, model: type[Model]) -> ast.ClassDef | None:
    """The top-level ``class <Model>`` statement in a parsed module."""
    return next(
        (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == model.__name__), None
    )


def _declared_names(model: type[Model]) -> set[str]:
    """Names annotated in the class body as its source has it now, and in its bases."""
    names = {name for base in model.__mro__[1:] for name in getattr(base, "__annotations__", {})}
    file = source_file(model)
    node = class_node(_parse(file, file.stat().st_mtime_ns), model) if file else None
    if node is None:
        return names | set(vars(model).get("__annotations__", {}))
    return names | {
        statement.target.id
        for statement in node.body
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
    }


@cache
def _parse(file: Path, mtime: int) -> ast.Module:  # mtime: a file written since is read again
    return ast.parse(file.read_text(encoding="utf-8"), str(file))
