"""``djanco check --fix``: writing the missing reverse-accessor declarations into model files.

Each class gets its declarations after its last field, e.g.::

    class Tag(models.Model):
        name = models.SlugField()

        articles: models.ManyRelatedManager["Article"]

A model of another module is imported under ``if TYPE_CHECKING:`` (sorted as ruff's isort
wants it), so the file stays lint-clean and imports nothing more at run time.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from djanco.cli._console import CommandError
from djanco.cli._reverse_accessors import Undeclared, class_node, shown, source_file
from djanco.db.models import Model

_Edit = tuple[int, int, list[str]]  # replace lines [start, end) with these (0-based)


def declare(items: Sequence[Undeclared]) -> list[str]:
    """Write the declarations of ``items`` into their models' files; one line per declaration."""
    by_file: dict[Path, list[Undeclared]] = defaultdict(list)
    for item in items:
        file = source_file(item.model)
        if file is not None:
            by_file[file].append(item)
    written: list[str] = []
    for file, file_items in by_file.items():
        _rewrite(file, file_items)
        written += [f"{shown(file)}: class {i.model.__name__}: {i.line}" for i in file_items]
    return written


def _rewrite(file: Path, items: list[Undeclared]) -> None:
    text = file.read_text(encoding="utf-8")
    tree = ast.parse(text, str(file))
    if any(item.kind for item in items) and not _imports_models(tree):
        raise CommandError(
            f"{file} does not import `models` (`from djanco.db import models`), which the "
            "declarations use; add that import and run `djanco check --fix` again."
        )
    lines = text.splitlines(keepends=True)
    edits: list[_Edit] = []
    by_model: dict[type[Model], list[Undeclared]] = defaultdict(list)
    for item in items:
        by_model[item.model].append(item)
    for model, model_items in by_model.items():
        node = class_node(tree, model)
        if node is None:
            raise CommandError(f"Cannot find `class {model.__name__}` at the top level of {file}.")
        at, indent, blank = _after_last_field(node)
        block = [f"{indent}{item.line}\n" for item in model_items]
        edits.append((at, at, ["\n", *block] if blank else block))
    imports = sorted(
        {(i.related_model.__module__, i.related_model.__name__) for i in items if i.needs_import}
    )
    if imports:
        edits += _type_checking_imports(tree, lines, imports)
    for start, end, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
        lines[start:end] = new
    file.write_text("".join(lines), encoding="utf-8")


def _imports_models(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "djanco.db"
        and any(alias.name == "models" and alias.asname is None for alias in node.names)
        for node in tree.body
    )


def _after_last_field(node: ast.ClassDef) -> tuple[int, str, bool]:
    """Where the declarations go in the class body: the line after its last assignment (or
    docstring), their indentation, and whether a blank line should precede them."""
    assignments = [s for s in node.body if isinstance(s, ast.Assign | ast.AnnAssign)]
    anchor = assignments[-1] if assignments else node.body[0]
    declaration = isinstance(anchor, ast.AnnAssign) and anchor.value is None
    assert anchor.end_lineno is not None
    return anchor.end_lineno, " " * anchor.col_offset, not declaration


def _type_checking_imports(
    tree: ast.Module, lines: list[str], imports: list[tuple[str, str]]
) -> list[_Edit]:
    """Edits importing each ``(module, name)`` under ``if TYPE_CHECKING:`` (and importing
    TYPE_CHECKING itself when needed)."""
    edits: list[_Edit] = []
    block = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ),
        None,
    )
    wanted: dict[str, set[str]] = defaultdict(set)
    for module, name in imports:
        wanted[module].add(name)
    if block is not None and all(isinstance(s, ast.ImportFrom) for s in block.body):
        for statement in block.body:
            assert isinstance(statement, ast.ImportFrom) and statement.module is not None
            wanted[statement.module].update(alias.name for alias in statement.names)
        assert block.end_lineno is not None
        edits.append((block.lineno, block.end_lineno, _import_lines(wanted)))
    elif block is not None:  # other statements in it: add ours at its end
        assert block.end_lineno is not None
        edits.append((block.end_lineno, block.end_lineno, _import_lines(wanted)))
    else:
        last = max(
            (n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)),
            key=lambda n: n.end_lineno or 0,
            default=None,
        )
        at = (last.end_lineno or 0) if last is not None else _after_docstring(tree)
        edits.append((at, at, ["\n", "if TYPE_CHECKING:\n", *_import_lines(wanted)]))
    if not _imports_type_checking(tree):
        edits.append(_typing_import(tree, lines))
    return edits


def _import_lines(wanted: dict[str, set[str]]) -> list[str]:
    return [
        f"    from {module} import {', '.join(sorted(names, key=_isort_key))}\n"
        for module, names in sorted(wanted.items())
    ]


def _isort_key(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then everything else."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _imports_type_checking(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "typing"
        and any(alias.name == "TYPE_CHECKING" for alias in node.names)
        for node in tree.body
    )


def _typing_import(tree: ast.Module, lines: list[str]) -> _Edit:
    """Add TYPE_CHECKING to ``from typing import …``, or that import to the standard-library
    block where isort puts it (straight imports first, then from-imports by module)."""
    existing = next(
        (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "typing"), None
    )
    if existing is not None and existing.end_lineno is not None:
        names = sorted({alias.name for alias in existing.names} | {"TYPE_CHECKING"}, key=_isort_key)
        return (
            existing.lineno - 1,
            existing.end_lineno,
            [f"from typing import {', '.join(names)}\n"],
        )
    stdlib = [
        n
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom) and _is_stdlib(n) and not _is_future(n)
    ]
    before = [n for n in stdlib if _sort_key(n) < (1, "typing")]
    if before:
        at = max(n.end_lineno or 0 for n in before)
        return (at, at, ["from typing import TYPE_CHECKING\n"])
    if stdlib:
        at = min(n.lineno for n in stdlib) - 1
        return (at, at, ["from typing import TYPE_CHECKING\n"])
    futures = [n for n in tree.body if _is_future(n)]
    if futures:
        at = max(n.end_lineno or 0 for n in futures)
        return (at, at, ["\n", "from typing import TYPE_CHECKING\n"])
    first = min(
        (n.lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)), default=None
    )
    at = first - 1 if first is not None else _after_docstring(tree)
    return (at, at, ["from typing import TYPE_CHECKING\n", "\n"])


def _is_stdlib(node: ast.Import | ast.ImportFrom) -> bool:
    module = (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name
    return module.partition(".")[0] in sys.stdlib_module_names


def _is_future(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _sort_key(node: ast.Import | ast.ImportFrom) -> tuple[int, str]:
    if isinstance(node, ast.Import):
        return (0, node.names[0].name)
    return (1, node.module or "")


def _after_docstring(tree: ast.Module) -> int:
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.end_lineno or 0
    return 0
