"""Errors raised while finding or rendering templates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import TemplateNotFound

from djanco.core.exceptions import SynchronousOnlyOperation

__all__ = [
    "ContentNotRenderedError",
    "PartialDoesNotExist",
    "SynchronousOnlyOperation",
    "TemplateDoesNotExist",
]


class TemplateDoesNotExist(TemplateNotFound):
    """No template directory holds the template (or any of the templates) asked for.

    ``templates`` lists the names tried and ``tried`` the directories searched, in order;
    ``suggestion`` is an existing template with a close name.
    A subclass of Jinja's TemplateNotFound, so code catching either works.
    """

    def __init__(
        self, names: str | Sequence[str], tried: Sequence[Path], *, suggestion: str | None = None
    ) -> None:
        listed = [names] if isinstance(names, str) else list(names)
        self.tried = list(tried)
        if len(listed) == 1:
            what = f"Template {listed[0]!r} does not exist."
        else:
            what = f"None of the templates {', '.join(map(repr, listed))} exist."
        if suggestion is not None:
            what += f" Did you mean {suggestion!r}?"
        if self.tried:
            where = "Looked in: " + ", ".join(str(path) for path in self.tried) + "."
        else:
            where = (
                "No template directories are configured: set TEMPLATES DIRS in the settings "
                "or add a templates/ folder to an installed app."
            )
        super().__init__(listed[-1] if listed else "", f"{what} {where}")
        self.templates = [*listed]


class ContentNotRenderedError(RuntimeError):
    """A TemplateResponse's content was read before the response was rendered."""


class PartialDoesNotExist(TemplateDoesNotExist):
    """``"name.html#block"`` names a block the template does not define.

    ``template`` and ``block`` are the two halves of the name; ``blocks`` are the blocks the
    template does define.
    """

    def __init__(
        self, template: str, block: str, blocks: Sequence[str], suggestions: Sequence[str]
    ) -> None:
        super().__init__(f"{template}#{block}", [])
        self.template, self.block, self.blocks = template, block, list(blocks)
        message = f"Template {template!r} has no block {block!r}."
        if suggestions:
            message += f" Did you mean {suggestions[0]!r}?"
        else:
            message += f" Its blocks: {', '.join(map(repr, self.blocks)) or 'none'}."
        self.message = message
        self.args = (message,)
