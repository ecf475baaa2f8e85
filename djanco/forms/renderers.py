"""Rendering forms: a synchronous Jinja2 environment that looks in the project's templates first.

Form, field and widget templates live under ``djanco/forms/`` in this package's ``templates``
directory. The loader tries the project's template directories (``TEMPLATES.DIRS``, then each
app's ``templates/``) before them, so a project overrides any of them by adding a file with the
same name, e.g. ``templates/djanco/forms/field.html``.

Forms render synchronously (``{{ form }}`` calls ``__html__``), also while a page renders
asynchronously, so they cannot use the page environment, which is async: this one shares its
loader and globals and is rebuilt whenever the page environment is.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, Template
from markupsafe import Markup, escape

from djanco.templates import get_environment

__all__ = [
    "FORM_TEMPLATES_DIR",
    "RenderableErrorMixin",
    "RenderableFormMixin",
    "RenderableMixin",
    "form_environment",
    "html_attrs",
    "render",
]

FORM_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""The built-in form templates, searched after the project's template directories."""

_lock = threading.Lock()
_built: tuple[Environment, Environment] | None = None  # (page environment, form environment)


def form_environment() -> Environment:
    """The environment form templates render in (rebuilt with the page environment)."""
    global _built
    page = get_environment()
    built = _built
    if built is not None and built[0] is page:
        return built[1]
    with _lock:
        if _built is None or _built[0] is not page:
            _built = (page, _build(page))
        return _built[1]


def _build(page: Environment) -> Environment:
    builtin = FileSystemLoader(FORM_TEMPLATES_DIR)
    loaders: list[BaseLoader] = [builtin] if page.loader is None else [page.loader, builtin]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        auto_reload=page.auto_reload,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals = page.globals  # shared: globals registered later are seen here too
    env.filters["html_attrs"] = html_attrs
    return env


def html_attrs(attrs: Mapping[str, object]) -> Markup:
    """``{{ widget.attrs|html_attrs }}``: ` name="value"` for each attribute, escaped;
    ``True`` gives the bare name, ``False`` and ``None`` leave the attribute out."""
    parts = [
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not None and value is not False
    ]
    return Markup("".join(parts))


def get_form_template(name: str) -> Template:
    return form_environment().get_template(name)


def render(template_name: str, context: Mapping[str, object]) -> Markup:
    """Render a form template to safe HTML."""
    return Markup(get_form_template(template_name).render(context))


class RenderableMixin:
    """Drawn by a form template: ``render()``, and ``{{ obj }}`` in any template."""

    @property
    def template_name(self) -> str:
        raise NotImplementedError

    def get_context(self) -> Mapping[str, object]:
        raise NotImplementedError

    def render(
        self, template_name: str | None = None, context: Mapping[str, object] | None = None
    ) -> Markup:
        return render(template_name or self.template_name, context or self.get_context())

    def __html__(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.render()


class RenderableFormMixin(RenderableMixin):
    """A form or formset: one template per layout (``as_div()``, the default, ``as_p()``,
    ``as_table()`` and ``as_ul()``)."""

    template_name_div: str
    template_name_p: str
    template_name_table: str
    template_name_ul: str

    def as_div(self) -> Markup:
        return self.render(self.template_name_div)

    def as_p(self) -> Markup:
        return self.render(self.template_name_p)

    def as_table(self) -> Markup:
        return self.render(self.template_name_table)

    def as_ul(self) -> Markup:
        return self.render(self.template_name_ul)


class RenderableErrorMixin(RenderableMixin):
    """Errors, as an HTML list (``as_ul()``, the default) or text (``as_text()``)."""

    template_name_text: str
    template_name_ul: str

    def as_ul(self) -> Markup:
        return self.render(self.template_name_ul)

    def as_text(self) -> str:
        return str(self.render(self.template_name_text))
