"""System checks of templates: TEMPLATES DIRS exist and are absolute; every template parses;
every ``url()`` with a literal name names a URL and passes the arguments it takes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from jinja2 import TemplateSyntaxError, nodes

from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Error, Warning
from djanco.core.checks.registry import Tags, register
from djanco.templates.environment import get_template
from djanco.templates.exceptions import TemplateDoesNotExist
from djanco.templates.sources import TemplateCall, TemplateFile, calls_in, template_files
from djanco.urls import NoReverseMatch, URLSignature, get_resolver, reverse_signatures

if TYPE_CHECKING:
    from djanco.apps import AppConfig


_KEYWORDS: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from",
}


@register(Tags.templates)
def check_template_dirs(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """templates.W001: a DIRS entry is not a directory; templates.W002: it is relative."""
    messages: list[CheckMessage] = []
    for directory in settings.TEMPLATES.DIRS:
        if not directory.is_absolute():
            messages.append(
                Warning(
                    f"TEMPLATES DIRS entry '{directory}' is a relative path, so where it points "
                    "depends on the directory the server is started from.",
                    hint="Build it from BASE_DIR, e.g. BASE_DIR / 'templates'.",
                    id="templates.W002",
                )
            )
        if not directory.is_dir():
            problem = "is not a directory" if directory.exists() else "does not exist"
            messages.append(
                Warning(
                    f"TEMPLATES DIRS entry '{directory}' {problem}.",
                    hint="Create the directory, or remove it from TEMPLATES DIRS.",
                    id="templates.W001",
                )
            )
    return messages


@register(Tags.templates, Tags.urls)
def check_templates(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """templates.E101: a template does not parse or compile; templates.E102: ``url()`` names
    no URL; templates.E103: ``url()`` passes arguments no URL of that name takes;
    templates.E104: ``{% extends/include/import %}`` names a template that does not exist.
    Each message is about ``file:line``. The URL checks are skipped while the URLconf does
    not load (the urls checks report that)."""
    check_urls = _urlconf_loads()
    messages: list[CheckMessage] = []
    for file in template_files():
        try:
            tree = file.parse()
        except UnicodeDecodeError:
            continue  # not a text file: never loaded as a template
        except TemplateSyntaxError as exc:
            messages.append(_syntax_error(file, exc))
            continue
        messages.extend(_check_template_names(file, tree))
        if check_urls:
            for call in calls_in(file, tree, "url"):
                problem = _check_url_call(call)
                if problem is not None:
                    messages.append(problem)
        try:
            file.compile(tree)
        except TemplateSyntaxError as exc:
            messages.append(_syntax_error(file, exc))
    return messages


def _check_template_names(file: TemplateFile, tree: nodes.Template) -> Iterator[CheckMessage]:
    """The literal template names ``tree`` extends, includes or imports, that do not load."""
    for node in tree.find_all(tuple(_KEYWORDS)):
        if not isinstance(node, nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport):
            continue
        name = node.template
        if isinstance(node, nodes.Include) and node.ignore_missing:
            continue
        if not (isinstance(name, nodes.Const) and isinstance(name.value, str)):
            continue
        try:
            get_template(name.value)
        except TemplateDoesNotExist as exc:
            keyword = _KEYWORDS[type(node)]
            yield Error(
                f"{{% {keyword} {name.value!r} %}}: {exc}",
                obj=file.location(node.lineno),
                id="templates.E104",
            )
        except TemplateSyntaxError:
            continue  # reported on that template's own file


def _syntax_error(file: TemplateFile, exc: TemplateSyntaxError) -> CheckMessage:
    return Error(
        f"Template syntax error: {exc.message}",
        hint="The page using this template fails to render until it is fixed.",
        obj=file.location(exc.lineno),
        id="templates.E101",
    )


def _urlconf_loads() -> bool:
    if not settings.ROOT_URLCONF:
        return False
    try:
        get_resolver().reverse_data()
    except Exception:
        return False
    return True


def _check_url_call(call: TemplateCall) -> CheckMessage | None:
    try:
        signatures = reverse_signatures(call.target)
    except NoReverseMatch as exc:
        return Error(f"{call}: {exc}", obj=call.location, id="templates.E102")
    if call.unpacked or any(s.accepts(call.positional, call.keywords) for s in signatures):
        return None
    if call.positional and call.keywords:
        problem = "mixes positional and keyword arguments, which reverse() refuses"
    else:
        problem = f"fits no URL named {call.target!r}: " + "; ".join(map(_takes, signatures))
    return Error(
        f"{call} {problem}.",
        hint="Pass the URL's parameters, by position or by name.",
        obj=call.location,
        id="templates.E103",
    )


def _takes(signature: URLSignature) -> str:
    parameters = ", ".join(signature.parameters) or "no arguments"
    return f"{signature.route!r} takes {parameters}"
