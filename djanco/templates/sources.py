"""Every template file on the search path, parsed for checks: its syntax, and the calls of
template globals (``url("blog:detail", pk=...)``, ``static("css/site.css")``) it makes with a
literal first argument, which ``djanco check`` can verify before any page renders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from djanco.templates.environment import get_environment
from djanco.templates.loader import template_dirs

__all__ = ["TemplateCall", "TemplateFile", "calls_in", "find_calls", "template_files"]


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """One file under a template directory (shadowed ones included)."""

    name: str
    """The name templates are loaded by, e.g. ``"blog/list.html"``."""
    path: Path

    def location(self, line: int | None) -> str:
        """``"templates/blog/list.html:12"``: the path (relative to the current directory
        when inside it) and line, as compilers print them."""
        try:
            shown = self.path.relative_to(Path.cwd())
        except (ValueError, OSError):  # outside it, or it no longer exists
            shown = self.path
        return f"{shown}:{line}" if line is not None else str(shown)

    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def parse(self) -> nodes.Template:
        """The template's syntax tree; TemplateSyntaxError (with ``lineno``) if it has none."""
        return get_environment().parse(self.source(), self.name, str(self.path))

    def compile(self, tree: nodes.Template) -> None:
        """Compile the parsed ``tree`` as loading the template would: TemplateSyntaxError for
        what parses but cannot run, such as an unknown filter or test. (It may rewrite the
        tree, so read the tree first.)"""
        get_environment().compile(tree, self.name, str(self.path))


@dataclass(frozen=True, slots=True)
class TemplateCall:
    """A call of a template global whose first argument is a literal string, e.g.
    ``url("blog:detail", pk=article.pk)``: the function, that string, and how the other
    arguments are passed (their values are only known when the template renders)."""

    file: TemplateFile
    line: int
    function: str
    target: str
    """The literal first argument: ``"blog:detail"``."""
    positional: int
    """How many more positional arguments are passed."""
    keywords: tuple[str, ...]
    """The names of the keyword arguments."""
    unpacked: bool
    """Whether ``*args`` or ``**kwargs`` are passed, so the arguments cannot be counted."""

    @property
    def location(self) -> str:
        return self.file.location(self.line)

    def __str__(self) -> str:
        arguments = [repr(self.target), *["…"] * self.positional]
        arguments += [f"{name}=…" for name in self.keywords]
        if self.unpacked:
            arguments.append("*…")
        return f"{self.function}({', '.join(arguments)})"


def template_files() -> Iterator[TemplateFile]:
    """Every file in every template directory (TEMPLATES DIRS, then the apps'), hidden files
    and directories left out."""
    for directory in template_dirs():
        if not directory.is_dir():
            continue
        for root, subdirs, files in os.walk(directory):
            subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
            for filename in sorted(files):
                if filename.startswith("."):
                    continue
                path = Path(root, filename)
                yield TemplateFile(path.relative_to(directory).as_posix(), path)


def find_calls(function: str) -> Iterator[TemplateCall]:
    """The calls of the global ``function`` with a literal string first argument, in every
    template that parses (``djanco check`` reports those that do not)."""
    for file in template_files():
        try:
            tree = file.parse()
        except (TemplateSyntaxError, UnicodeDecodeError):
            continue
        yield from calls_in(file, tree, function)


def calls_in(file: TemplateFile, tree: nodes.Template, function: str) -> Iterator[TemplateCall]:
    """The calls of the global ``function`` with a literal string first argument in ``tree``,
    the syntax tree of ``file``."""
    for call in tree.find_all(nodes.Call):
        callee, arguments = call.node, call.args
        if not (isinstance(callee, nodes.Name) and callee.name == function and arguments):
            continue
        first = arguments[0]
        if isinstance(first, nodes.Const) and isinstance(first.value, str):
            yield TemplateCall(
                file,
                call.lineno,
                function,
                first.value,
                len(arguments) - 1,
                tuple(keyword.key for keyword in call.kwargs),
                call.dyn_args is not None or call.dyn_kwargs is not None,
            )
