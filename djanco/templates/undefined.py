"""What a template gets for a variable it was not given: with DEBUG, an error that names the
template and the line using it."""

from __future__ import annotations

import sys
from types import FrameType

import jinja2
from jinja2 import Template, TemplateRuntimeError, UndefinedError
from jinja2.utils import missing

__all__ = ["StrictUndefined", "UndefinedVariableError"]


class UndefinedVariableError(UndefinedError):
    """A template used a variable (or attribute, or key) it was not given.

    ``template_name`` and ``lineno`` say where; they are None when no template frame is on
    the stack (the undefined value was used by Python code the template called).
    """

    def __init__(self, message: str | None = None) -> None:
        self.template_name, self.lineno = _template_location()
        if self.template_name is not None:
            message = f"{message} (in template {self.template_name!r}, line {self.lineno})"
        super().__init__(message)


class StrictUndefined(jinja2.StrictUndefined):
    """Using an undefined value in any way (printing, comparing, iterating, testing its
    truth) raises UndefinedVariableError; ``is defined`` and the ``default`` filter still
    work. The default with DEBUG (see ``TEMPLATES["OPTIONS"]["undefined"]``)."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: object = missing,
        name: str | None = None,
        exc: type[TemplateRuntimeError] = UndefinedVariableError,
    ) -> None:
        super().__init__(hint, obj, name, exc)


def _template_location() -> tuple[str | None, int | None]:
    """The innermost template being rendered and its line, from the frames on the stack
    (compiled templates record themselves as ``__jinja_template__`` in their globals)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, Template):
            name = template.name or template.filename or "<string>"
            return name, template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None, None
