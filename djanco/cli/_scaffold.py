"""Rendering the ``scaffold/`` trees: name checks, placeholder paths and ``$name`` substitution."""

from __future__ import annotations

import importlib.util
import keyword
import string
from collections.abc import Iterator, Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from djanco.cli._console import CommandError

_TEMPLATE_SUFFIX = ".tmpl"
_DOT_PREFIX = "dot-"  # "dot-gitignore.tmpl" → ".gitignore": packaging tools skip dotfiles


def validate_name(name: str, kind: str) -> None:
    """Refuse names that cannot be imported, or that would shadow an importable module."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise CommandError(
            f"{name!r} is not a valid {kind} name. Please make sure the name is a valid "
            "Python identifier (letters, digits and underscores, not starting with a digit)."
        )
    if _is_importable(name):
        raise CommandError(
            f"{name!r} conflicts with the name of an existing Python module and cannot be "
            f"used as a {kind} name. Please try another name."
        )


def _is_importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return True


def target_directory(name: str, directory: Path | None) -> Path:
    """``./NAME``, which must not exist yet, or the given directory (existing or not)."""
    if directory is None:
        target = Path.cwd() / name
        if target.exists():
            raise CommandError(f"'{target}' already exists.")
        return target
    target = directory.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise CommandError(f"'{target}' exists and is not a directory.")
    return target


def scaffold_root(kind: str) -> Traversable:
    """The template tree for ``kind`` ("project" or "app") shipped inside the package."""
    return files("djanco.cli").joinpath("scaffold", kind)


def render_tree(root: Traversable, target: Path, context: Mapping[str, str]) -> list[Path]:
    """Write every template under ``root`` into ``target``; return the files written.

    Directory names equal to a context key are renamed to its value. No existing file is
    overwritten: the whole tree is checked before anything is written.
    """
    plan = [(template, target / relative) for template, relative in _walk(root, context)]
    clashes = [path for _, path in plan if path.exists()]
    if clashes:
        raise CommandError(f"{clashes[0]} already exists; refusing to overwrite it.")
    for template, path in plan:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_substitute(template, context), encoding="utf-8")
    return [path for _, path in plan]


def _walk(directory: Traversable, context: Mapping[str, str]) -> Iterator[tuple[Traversable, Path]]:
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        if entry.name.startswith(("__pycache__", ".")):
            continue
        if entry.is_dir():
            name = context.get(entry.name, entry.name)
            for template, relative in _walk(entry, context):
                yield template, Path(name) / relative
        elif entry.name.endswith(_TEMPLATE_SUFFIX):
            name = entry.name.removesuffix(_TEMPLATE_SUFFIX)
            if name.startswith(_DOT_PREFIX):
                name = "." + name.removeprefix(_DOT_PREFIX)
            yield entry, Path(name)


def _substitute(template: Traversable, context: Mapping[str, str]) -> str:
    text = template.read_text(encoding="utf-8")
    try:
        return string.Template(text).substitute(context)
    except (KeyError, ValueError) as exc:  # a bug in a shipped template, not user input
        raise RuntimeError(f"Broken scaffold template {template.name}: {exc!r}") from exc
