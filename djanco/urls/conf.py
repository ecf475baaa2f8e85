"""What a URLconf is written with: ``path()``, ``re_path()`` and ``include()``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import cast, final, overload

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls.patterns import Pattern, RegexPattern, RoutePattern
from djanco.urls.resolver_match import View
from djanco.urls.resolvers import URLEntry, URLPattern, URLResolver

__all__ = ["Included", "include", "path", "re_path"]

Patterns = Sequence[URLEntry]


@final
@dataclass(frozen=True, slots=True)
class Included:
    """What ``include()`` returns, for ``path()`` to turn into a URLResolver."""

    urlconf: ModuleType | Patterns
    app_name: str | None
    namespace: str | None


def include(
    arg: str | ModuleType | Patterns | tuple[str | ModuleType | Patterns, str],
    namespace: str | None = None,
) -> Included:
    """Include another URLconf: a dotted module path, a module, or a list of patterns.

    The application namespace is the module's ``app_name`` or given as
    ``include((patterns, app_name), namespace=...)``; the instance namespace defaults to it.
    """
    app_name: str | None = None
    urlconf: str | ModuleType | Patterns
    if isinstance(arg, tuple) and len(arg) == 2 and isinstance(arg[1], str):
        app_name, first = arg[1], arg[0]
        if not isinstance(first, str | ModuleType | Sequence):
            raise ImproperlyConfigured(f"include() got {first!r}: not patterns or a module.")
        urlconf = first
    elif isinstance(arg, tuple) and not all(isinstance(p, URLPattern | URLResolver) for p in arg):
        raise ImproperlyConfigured(
            f"Passing a {len(arg)}-tuple to include() is not supported. Pass a 2-tuple "
            "containing the list of patterns and app_name, and provide the namespace "
            "argument to include() instead."
        )
    else:
        urlconf = cast("str | ModuleType | Patterns", arg)
    module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
    if isinstance(module, ModuleType):
        module_app_name = getattr(module, "app_name", None)
        if module_app_name is not None:
            if not isinstance(module_app_name, str):
                raise ImproperlyConfigured(
                    f"app_name in {module.__name__} must be a string, not {module_app_name!r}."
                )
            app_name = module_app_name
    if namespace and not app_name:
        raise ImproperlyConfigured(
            "Specifying a namespace in include() without providing an app_name is not "
            "supported. Set the app_name attribute in the included module, or pass a 2-tuple "
            "containing the list of patterns and app_name instead."
        )
    return Included(module, app_name, namespace or app_name)


@overload
def path(
    route: str, view: View, kwargs: dict[str, object] | None = None, name: str | None = None
) -> URLPattern: ...
@overload
def path(route: str, view: Included, kwargs: dict[str, object] | None = None) -> URLResolver: ...
def path(
    route: str,
    view: View | Included,
    kwargs: dict[str, object] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """Map ``route`` (e.g. ``"articles/<int:pk>/"``) to a view or an ``include()``."""
    if not isinstance(route, str):
        raise TypeError(f"path() route must be a string, not {route!r}.")
    if route.startswith("/"):
        raise ImproperlyConfigured(
            f"URL route {route!r} starts with '/'. Routes are relative to the site root or "
            f"their include(), so write {route.lstrip('/')!r}."
        )
    return _make(route, view, kwargs, name, RoutePattern, "path")


@overload
def re_path(
    route: str, view: View, kwargs: dict[str, object] | None = None, name: str | None = None
) -> URLPattern: ...
@overload
def re_path(route: str, view: Included, kwargs: dict[str, object] | None = None) -> URLResolver: ...
def re_path(
    route: str,
    view: View | Included,
    kwargs: dict[str, object] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """Map the regex ``route`` (e.g. ``r"^articles/(?P<year>[0-9]{4})/$"``) to a view."""
    if not isinstance(route, str):
        raise TypeError(f"re_path() route must be a string, not {route!r}.")
    if route.startswith(("/", "^/")):
        raise ImproperlyConfigured(
            f"URL regex {route!r} starts with '/'. Paths are matched without their leading "
            "slash, so remove it."
        )
    return _make(route, view, kwargs, name, RegexPattern, "re_path")


def _make(
    route: str,
    view: View | Included,
    kwargs: dict[str, object] | None,
    name: str | None,
    pattern_class: type[RoutePattern] | type[RegexPattern],
    func: str,
) -> URLPattern | URLResolver:
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(f"kwargs argument must be a dict, but got {type(kwargs).__name__}.")
    if isinstance(view, Included):
        if name is not None:
            raise ImproperlyConfigured(
                f"{func}({route!r}, include(...), name={name!r}): an include() cannot be "
                "named; name the patterns inside it, or give include() a namespace."
            )
        pattern: Pattern = pattern_class(route, is_endpoint=False)
        return URLResolver(pattern, view.urlconf, kwargs, view.app_name, view.namespace)
    if isinstance(view, type) and hasattr(view, "as_view"):
        raise TypeError(
            f"view must be a callable, pass {view.__name__}.as_view(), not {view.__name__}."
        )
    if not callable(view):
        raise TypeError(f"view must be a callable or include(), not {view!r}.")
    if name is not None and (not isinstance(name, str) or ":" in name):
        raise ImproperlyConfigured(
            f"URL pattern name {name!r} for route {route!r} must be a string without ':' "
            "(':' separates namespaces, so reverse() could never find it)."
        )
    return URLPattern(pattern_class(route, is_endpoint=True), view, kwargs, name)
