"""The one Jinja2 environment: async-capable, autoescaped, with the globals, filters and
context processors that Djanco and the installed apps register."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast
from urllib.parse import quote

from jinja2 import Environment, Template, Undefined, pass_context
from jinja2.runtime import Context

from djanco.apps import apps
from djanco.conf import on_setting_changed, settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.templates.exceptions import SynchronousOnlyOperation, TemplateDoesNotExist
from djanco.templates.filters import FILTERS
from djanco.templates.loader import DjancoLoader, template_dirs
from djanco.templates.partials import SEPARATOR, partial
from djanco.templates.undefined import StrictUndefined
from djanco.urls import reverse
from djanco.utils.module_loading import import_setting_entry, import_string

if TYPE_CHECKING:
    from djanco.http.request import HttpRequest

ContextProcessor: TypeAlias = "Callable[[HttpRequest], Mapping[str, object]]"
"""A context processor: given the request, the variables every template it renders sees."""

# Settings the environment is built from; changing one rebuilds it on next use.
_ENV_SETTINGS = frozenset({"TEMPLATES", "INSTALLED_APPS", "DEBUG"})
_CONTEXT_PROCESSORS = 'TEMPLATES["OPTIONS"]["context_processors"]'
_UNDEFINED = 'TEMPLATES["OPTIONS"]["undefined"]'

_lock = threading.Lock()
_globals: dict[str, object] = {}
_filters: dict[str, Callable[..., object]] = dict(FILTERS)


class DjancoEnvironment(Environment):
    """Jinja's environment, where ``"page.html#rows"`` names the block ``rows`` of
    ``page.html`` as a template of its own (a partial, as in Django 6.0), also in
    ``{% include %}``."""

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: MutableMapping[str, object] | None = None,
    ) -> Template:
        if isinstance(name, str) and SEPARATOR in name:
            template_name, _, block = name.partition(SEPARATOR)
            return partial(super().get_template(template_name, parent, globals), block)
        return super().get_template(name, parent, globals)


@dataclass(frozen=True, slots=True)
class _Built:
    environment: Environment
    context_processors: tuple[ContextProcessor, ...]
    app_list: object
    """The app list the loader was built for: repopulating the registry (as tests do)
    changes it, which rebuilds the environment without any notification."""


_built: _Built | None = None


def get_environment() -> Environment:
    """The shared Jinja2 environment, built on first use.

    Async rendering on, autoescaping on for every template, templates reloaded when their
    file changes only with DEBUG, an undefined variable an error with DEBUG (see
    ``TEMPLATES["OPTIONS"]["undefined"]``). Globals: ``url(name, *args, **kwargs)``,
    ``static(path)`` and those registered with ``register_global()``; filters: Jinja's own,
    Djanco's (``djanco.templates.filters``) and those registered with ``register_filter()``.
    """
    return _current().environment


def reset_environment() -> None:
    """Drop the environment (and its compiled-template cache); the next use rebuilds it."""
    global _built
    with _lock:
        _built = None


def register_global(name: str, value: object) -> None:
    """Make ``value`` available to every template as ``name``, e.g. a function to call.

    For an app's template helpers: call it from the app's ``AppConfig.ready()``. Registering
    a name again replaces the value; the environment picks it up on its next use.
    """
    _globals[name] = value
    reset_environment()


def register_filter(name: str, function: Callable[..., object]) -> None:
    """Make ``function`` a filter: ``{{ value|name(arg) }}`` is ``function(value, arg)``.

    For an app's template helpers: call it from the app's ``AppConfig.ready()``. Registering
    a name again replaces the filter; the environment picks it up on its next use.
    """
    _filters[name] = function
    reset_environment()


def _current() -> _Built:
    global _built
    built, app_list = _built, _current_app_list()
    if built is not None and built.app_list is app_list:
        return built
    with _lock:
        if _built is None or _built.app_list is not app_list:
            _built = _Built(_build_environment(), _load_context_processors(), app_list)
        return _built


def get_template(name: str) -> Template:
    """The compiled template ``name``; TemplateDoesNotExist names the directories searched.

    ``"page.html#rows"`` is the block ``rows`` of ``page.html`` alone (a partial).
    """
    return get_environment().get_template(name)


def select_template(names: str | Sequence[str]) -> Template:
    """The first of ``names`` that exists (a single name is allowed)."""
    if isinstance(names, str):
        return get_template(names)
    if not names:
        raise TemplateDoesNotExist([], template_dirs())
    env = get_environment()
    tried: list[Path] = []
    for name in names:
        try:
            return env.get_template(name)
        except TemplateDoesNotExist as exc:
            tried = exc.tried
    raise TemplateDoesNotExist(names, tried)


def make_context(
    context: Mapping[str, object] | None, request: HttpRequest | None
) -> dict[str, object]:
    """The variables a template sees: ``context``; with a request, also ``request`` and what
    the context processors give (``context`` wins over them, as in Django's templates)."""
    variables = dict(context) if context else {}
    if request is not None:
        processors = _current().context_processors
        if processors:
            processed: dict[str, object] = {}
            for processor in processors:
                processed.update(processor(request))
            variables = processed | variables
        variables["request"] = request
    return variables


def render_to_string(
    template_name: str | Sequence[str],
    context: Mapping[str, object] | None = None,
    request: HttpRequest | None = None,
) -> str:
    """Render a template to a string, from sync code (a ``def`` view, a script, a thread).

    Inside a running event loop use ``await arender_to_string(...)`` instead.
    """
    refuse_in_event_loop("render_to_string()", "await arender_to_string(...)")
    template = select_template(template_name)
    return template.render(make_context(context, request))


async def arender_to_string(
    template_name: str | Sequence[str],
    context: Mapping[str, object] | None = None,
    request: HttpRequest | None = None,
) -> str:
    """Render a template to a string from async code."""
    template = select_template(template_name)
    return await template.render_async(make_context(context, request))


def refuse_in_event_loop(call: str, instead: str) -> None:
    """Raise SynchronousOnlyOperation if called from a thread running an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise SynchronousOnlyOperation(
        f"{call} cannot be used inside a running event loop (an async view or task): "
        f"it would block the loop. Use {instead} instead."
    )


@pass_context
def url(context: Context, name: str, /, *args: object, **kwargs: object) -> str:
    """Template global: ``{{ url("blog:detail", pk=post.pk) }}`` is ``reverse()``.

    As Django's ``{% url %}`` tag does, a namespaced name is reversed within the namespace
    of the URL being served (``request.resolver_match.namespace``), so a template shared by
    two instances of an app links within the instance that rendered it.
    """
    return reverse(
        name, args=args or None, kwargs=kwargs or None, current_app=_current_app(context)
    )


def _current_app(context: Context) -> str | None:
    request = context.get("request")
    explicit = getattr(request, "current_app", None)
    if isinstance(explicit, str):
        return explicit
    match = getattr(request, "resolver_match", None)
    namespace = getattr(match, "namespace", None)
    return namespace if isinstance(namespace, str) and namespace else None


def static(path: str) -> str:
    """Template global: ``{{ static("css/site.css") }}`` is STATIC_URL joined with path."""
    return settings.STATIC_URL.rstrip("/") + "/" + quote(path.lstrip("/"))


def _build_environment() -> Environment:
    env = DjancoEnvironment(
        loader=DjancoLoader(template_dirs()),
        autoescape=True,
        enable_async=True,
        auto_reload=settings.DEBUG,
        undefined=_undefined_class(),
    )
    env.globals.update(_globals)
    env.filters.update(_filters)
    return env


def _undefined_class() -> type[Undefined]:
    path = settings.TEMPLATES.OPTIONS.undefined
    if path is None:
        return StrictUndefined if settings.DEBUG else Undefined
    undefined = import_string(path)
    if not (isinstance(undefined, type) and issubclass(undefined, Undefined)):
        raise ImproperlyConfigured(
            f"{_UNDEFINED} is {path!r}, which is not a subclass of jinja2.Undefined."
        )
    return undefined


def _load_context_processors() -> tuple[ContextProcessor, ...]:
    processors: list[ContextProcessor] = []
    for path in settings.TEMPLATES.OPTIONS.context_processors:
        processor = import_setting_entry(path, _CONTEXT_PROCESSORS)
        if not callable(processor):
            raise ImproperlyConfigured(
                f"{_CONTEXT_PROCESSORS} entry {path!r} is {processor!r}, not a function taking "
                "the request."
            )
        processors.append(cast("ContextProcessor", processor))
    return tuple(processors)


def _current_app_list() -> object:
    return apps.installed if apps.ready else None


def _setting_changed(name: str) -> None:
    if name in _ENV_SETTINGS:
        reset_environment()


on_setting_changed(_setting_changed)
register_global("url", url)
register_global("static", static)
