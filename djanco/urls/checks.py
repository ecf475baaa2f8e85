"""System checks of the URLconf: it loads, names are unambiguous, error handlers fit."""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Error, Warning
from djanco.core.checks.registry import Tags, register
from djanco.urls.base import get_resolver
from djanco.urls.patterns import RoutePattern
from djanco.urls.resolver_match import RouteInfo
from djanco.urls.resolvers import URLResolver

if TYPE_CHECKING:
    from djanco.apps import AppConfig

# Parameter names in a path() route ("<int:pk>") or a re_path() regex ("(?P<pk>...)").
_PARAMETER = re.compile(r"<(?:[^<>:]+:)?(\w+)>|\(\?P<(\w+)>")
_HANDLER_ARGS = {400: "request, exception", 403: "request, exception", 404: "request, exception"}


@register(Tags.urls)
def check_url_config(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """urls.E001: ROOT_URLCONF unset; urls.E002: it fails to load; then the checks below."""
    urlconf = settings.ROOT_URLCONF
    if not urlconf:
        return [
            Error(
                "ROOT_URLCONF is not set, so no page can be served.",
                hint="Set ROOT_URLCONF to your URLconf module, e.g. 'mysite.urls'.",
                id="urls.E001",
            )
        ]
    try:
        resolver = get_resolver(urlconf)
        routes = list(resolver.iter_routes())
    except Exception as exc:
        return [
            Error(
                f"ROOT_URLCONF {urlconf!r} cannot be loaded: {type(exc).__name__}: {exc}",
                hint="Fix the error above; every request would fail with it.",
                id="urls.E002",
            )
        ]
    shared = _shared_namespaces(resolver)
    return [
        *_check_slashes(routes),
        *_check_regex_in_path(resolver),
        *_check_namespaces_unique(shared),
        *_check_duplicate_names(routes, shared),
        *_check_handlers(resolver),
    ]


def _check_regex_in_path(resolver: URLResolver) -> Iterator[CheckMessage]:
    """2_0.W001 (Django's): a path() route that looks like a regex ('^', '$', '(?P<')."""
    for child in resolver.url_patterns:
        route = child.pattern.route
        if isinstance(child.pattern, RoutePattern) and (
            "(?P<" in route or route.startswith("^") or route.endswith("$")
        ):
            yield Warning(
                f"Your URL pattern '{route}' has a route that contains '(?P<', begins with a "
                "'^', or ends with a '$'. This was likely an oversight when migrating to "
                "djanco.urls.path().",
                hint="path() routes are matched literally: use re_path() for a regex.",
                id="2_0.W001",
            )
        if isinstance(child, URLResolver):
            yield from _check_regex_in_path(child)


def _namespaces(resolver: URLResolver, parents: tuple[str, ...] = ()) -> Iterator[str]:
    """Every instance namespace in the URLconf, as its full ``"outer:inner"`` path."""
    for child in resolver.url_patterns:
        if isinstance(child, URLResolver):
            current = (*parents, child.namespace) if child.namespace else parents
            if child.namespace:
                yield ":".join(current)
            yield from _namespaces(child, current)


def _shared_namespaces(resolver: URLResolver) -> list[str]:
    return [ns for ns, count in Counter(_namespaces(resolver)).items() if count > 1]


def _check_namespaces_unique(shared: list[str]) -> list[CheckMessage]:
    """urls.W005 (Django's): two include()s with one instance namespace; only the last one
    can be reversed."""
    return [
        Warning(
            f"URL namespace '{namespace}' isn't unique. You may not be able to reverse all "
            "URLs in this namespace",
            hint="Give each include() of the app its own namespace=.",
            id="urls.W005",
        )
        for namespace in shared
    ]


def _check_slashes(routes: list[RouteInfo]) -> list[CheckMessage]:
    """urls.W002 (Django's): a route starting with '/' never matches (paths are joined)."""
    return [
        Warning(
            f"Your URL pattern '{info.route}' has a route beginning with a '/' (or an include() "
            "prefix without a trailing '/' before it). Remove this slash as it is unnecessary.",
            id="urls.W002",
        )
        for info in routes
        if info.route.startswith("/") or "//" in info.route
    ]


def _check_duplicate_names(routes: list[RouteInfo], shared: list[str]) -> list[CheckMessage]:
    """urls.W006: one name on two patterns taking the same arguments; reverse() can only ever
    produce one of them. (The same name with different arguments is fine, as in Django.)
    Names inside a namespace already reported by urls.W005 are not reported again."""
    by_key: dict[tuple[str, frozenset[str]], list[str]] = {}
    for info in routes:
        if info.name is not None and not any(
            info.name.startswith(f"{namespace}:") for namespace in shared
        ):
            parameters = frozenset(a or b for a, b in _PARAMETER.findall(info.route))
            by_key.setdefault((info.name, parameters), []).append(info.route)
    return [
        Warning(
            f"URL name {name!r} is used by {len(found)} patterns taking the same arguments: "
            f"{', '.join(repr(route) for route in found)}. reverse({name!r}) can only return "
            "one of them.",
            hint="Rename one pattern, or include() its URLconf under a namespace.",
            id="urls.W006",
        )
        for (name, _), found in by_key.items()
        if len(found) > 1
    ]


def _check_handlers(resolver: URLResolver) -> list[CheckMessage]:
    """urls.E008: a handlerXXX cannot be imported; urls.E007: it takes the wrong arguments."""
    messages: list[CheckMessage] = []
    for code in (400, 403, 404, 500):
        try:
            handler = resolver.handler(code)
        except Exception as exc:
            messages.append(
                Error(f"The custom handler{code} view cannot be imported: {exc}", id="urls.E008")
            )
            continue
        if handler is None:
            continue
        expected = _HANDLER_ARGS.get(code, "request")
        try:
            inspect.signature(handler).bind(*expected.split(", "))
        except TypeError:
            name = f"{handler.__module__}.{getattr(handler, '__qualname__', repr(handler))}"
            messages.append(
                Error(
                    f"The custom handler{code} view '{name}' does not take the correct number "
                    f"of arguments ({expected}).",
                    id="urls.E007",
                )
            )
        except ValueError:
            pass  # no signature to inspect (a builtin): trust it
    return messages
