"""The URL layer's entry points: ``resolve()``, ``reverse()`` and the per-URLconf resolver."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from urllib.parse import quote, urlencode

from djanco.conf import on_setting_changed, settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls._template import Template, params_of, render
from djanco.urls.exceptions import NoReverseMatch
from djanco.urls.resolver_match import ResolverMatch, View
from djanco.urls.resolvers import URLResolver, _Candidate, _join_route, _unique, root_resolver
from djanco.utils.functional import LazyStr

__all__ = [
    "URLSignature",
    "clear_url_caches",
    "get_resolver",
    "resolve",
    "reverse",
    "reverse_lazy",
    "reverse_signatures",
]

_resolvers: dict[str | ModuleType, URLResolver] = {}
# Characters reverse() leaves unquoted: RFC 3986 sub-delimiters plus those safe in a path.
_SAFE = "!$&'()*+,;=/~:@"


def get_resolver(urlconf: str | ModuleType | None = None) -> URLResolver:
    """The root resolver of ``urlconf`` (default ``settings.ROOT_URLCONF``), built once."""
    if urlconf is None:
        urlconf = settings.ROOT_URLCONF
        if urlconf is None:
            raise ImproperlyConfigured(
                "ROOT_URLCONF is not set: name your URLconf module in settings, "
                'e.g. ROOT_URLCONF = "mysite.urls".'
            )
    resolver = _resolvers.get(urlconf)
    if resolver is None:
        resolver = _resolvers.setdefault(urlconf, root_resolver(urlconf))
    return resolver


def clear_url_caches() -> None:
    """Forget every loaded URLconf, so the next use re-reads ``urlpatterns``."""
    _resolvers.clear()


def _reset_on_change(name: str) -> None:
    if name == "ROOT_URLCONF":
        clear_url_caches()


on_setting_changed(_reset_on_change)


def resolve(path: str, urlconf: str | ModuleType | None = None) -> ResolverMatch:
    """The view and arguments for ``path`` (which starts with "/"); ``Resolver404`` if none."""
    return get_resolver(urlconf).resolve(path)


def reverse(
    viewname: str | View,
    urlconf: str | ModuleType | None = None,
    args: Sequence[object] | None = None,
    kwargs: Mapping[str, object] | None = None,
    current_app: str | None = None,
    *,
    query: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
    fragment: str | None = None,
) -> str:
    """The URL path for the pattern named ``viewname`` (``"ns:name"``) or for that view.

    ``NoReverseMatch`` says which name was asked for, what was given and which patterns were
    tried. ``query`` (a mapping or pairs; sequence values repeat the key) and ``fragment``
    are appended, as in Django 5.2.
    """
    if args and kwargs:
        raise ValueError("Don't mix *args and **kwargs in call to reverse()!")
    found = _lookup(viewname, urlconf, current_app)
    url = _first_fit(
        found.candidates, found.prefixes, found.defaults, tuple(args or ()), dict(kwargs or {})
    )
    if url is None:
        routes = [_join_route(found.prefix_route, c.route) for c in found.candidates]
        raise NoReverseMatch(
            f"Reverse for {_label(viewname)!r} with {_given(args, kwargs)} not found. "
            f"{len(routes)} pattern(s) tried: {routes!r}"
        )
    url = quote("/" + url, safe=_SAFE)
    if url.startswith("//"):  # would read as a scheme-relative URL to another host
        url = "/%2F" + url[2:]
    if query:
        url += "?" + urlencode(query, doseq=True)
    if fragment is not None:
        url += "#" + quote(fragment, safe=_SAFE + "?")
    return url


def reverse_lazy(
    viewname: str | View,
    urlconf: str | ModuleType | None = None,
    args: Sequence[object] | None = None,
    kwargs: Mapping[str, object] | None = None,
    current_app: str | None = None,
    *,
    query: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
    fragment: str | None = None,
) -> LazyStr:
    """``reverse()`` computed when the result is used as a string (for module-level URLs)."""
    return LazyStr(
        lambda: reverse(
            viewname, urlconf, args, kwargs, current_app, query=query, fragment=fragment
        )
    )


@dataclass(frozen=True, slots=True)
class URLSignature:
    """One URL ``reverse()`` can build for a name: its route and the parameters it takes."""

    route: str
    """The full route, e.g. ``"blog/<int:year>/<slug:slug>/"``."""
    parameters: tuple[str, ...]
    """The names of its parameters, in URL order."""
    defaults: frozenset[str]
    """Names with a default value (the extra kwargs of ``path()`` or ``include()``)."""

    def accepts(self, positional: int = 0, keywords: Collection[str] = ()) -> bool:
        """Whether ``reverse()`` given this many positional arguments, or keyword arguments
        with these names, could build this URL (when the values fit the converters)."""
        if positional:
            return not keywords and positional == len(self.parameters)
        return not (set(keywords) ^ set(self.parameters)) - self.defaults


def reverse_signatures(
    viewname: str, urlconf: str | ModuleType | None = None
) -> list[URLSignature]:
    """The URLs ``reverse(viewname)`` may build, in the order it tries them, without building
    one: what a check of ``url("blog:detail", pk=...)`` needs when the values are unknown.

    An unknown name or namespace raises ``NoReverseMatch`` with ``reverse()``'s message.
    """
    found = _lookup(viewname, urlconf, None)
    return [
        URLSignature(
            _join_route(found.prefix_route, candidate.route),
            _unique(params_of(full)),
            frozenset({**found.defaults, **candidate.defaults}),
        )
        for candidate in found.candidates
        for template, _ in candidate.templates
        for full in [prefix + template for prefix in found.prefixes]
    ]


@dataclass(frozen=True, slots=True)
class _Found:
    """The patterns a name may reverse to, with what the namespaces leading there add."""

    candidates: list[_Candidate]
    prefixes: list[Template]
    prefix_route: str
    defaults: dict[str, object]


def _lookup(
    viewname: str | View, urlconf: str | ModuleType | None, current_app: str | None
) -> _Found:
    """Walk the namespaces of ``viewname`` (``"ns:inner:name"``) down to its patterns; an
    unknown namespace or name raises NoReverseMatch."""
    resolver = get_resolver(urlconf)
    prefixes: list[Template] = [()]
    prefix_route = ""
    defaults: dict[str, object] = {}
    if isinstance(viewname, str):
        *path, view = viewname.split(":")
        current = list(reversed(current_app.split(":"))) if current_app else []
        resolved: list[str] = []
        lookup: str | View = view
        for ns in path:
            current_ns = current.pop() if current else None
            data = resolver.reverse_data()
            instances = data.apps.get(ns)
            if instances is not None:  # an app namespace: pick the current or default instance
                if current_ns in instances:
                    ns = current_ns
                elif ns not in instances:
                    ns = instances[0]
            if ns != current_ns:
                current = []
            entry = data.namespaces.get(ns)
            if entry is None:
                raise NoReverseMatch(_unknown_namespace(ns, resolved, data.namespaces))
            resolved.append(ns)
            prefixes = [p + t for p in prefixes for t in entry.prefixes]
            prefix_route = _join_route(prefix_route, entry.route)
            defaults = {**defaults, **entry.defaults}
            resolver = entry.resolver
    else:
        lookup = viewname
        resolved = []
    candidates = resolver.reverse_data().lookups.get(lookup, [])
    if not candidates:
        raise NoReverseMatch(_unknown_name(_label(viewname), resolved, resolver))
    return _Found(candidates, prefixes, prefix_route, defaults)


def _label(viewname: str | View) -> str:
    return viewname if isinstance(viewname, str) else _view_label(viewname)


def _first_fit(
    candidates: list[_Candidate],
    prefixes: list[Template],
    ns_defaults: dict[str, object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> str | None:
    """Django's rule: the first template whose parameters fit what was given, filled in."""
    nested = prefixes != [()]
    for candidate in candidates:
        defaults = {**ns_defaults, **candidate.defaults} if ns_defaults else candidate.defaults
        for template, params in candidate.templates:
            for full in [p + template for p in prefixes] if nested else [template]:
                names = _unique(params_of(full)) if nested else params
                values = _fit(names, defaults, args, kwargs)
                if values is not None and (url := render(full, values)) is not None:
                    return url
    return None


def _fit(
    names: tuple[str, ...],
    defaults: dict[str, object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> Mapping[str, object] | None:
    if args:
        return dict(zip(names, args, strict=True)) if len(args) == len(names) else None
    if (set(kwargs) ^ set(names)) - set(defaults):
        return None
    for key, value in defaults.items():
        if key not in names and kwargs.get(key, value) != value:
            return None
    return kwargs


def _given(args: Sequence[object] | None, kwargs: Mapping[str, object] | None) -> str:
    if args:
        return f"arguments '{tuple(args)!r}'"
    if kwargs:
        return f"keyword arguments '{dict(kwargs)!r}'"
    return "no arguments"


def _unknown_name(label: str, resolved: list[str], resolver: URLResolver) -> str:
    """The message for a name unknown here; it suggests the name inside a namespace below
    (``"detail"`` → ``"blog:detail"``), else the closest name here."""
    msg = (
        f"Reverse for {label!r} not found. {label!r} is not a valid view function or pattern name."
    )
    view = label.rpartition(":")[2]
    apps = resolver.reverse_data().apps
    namespaced = sorted(  # an application namespace first: it picks the default instance
        (name for name in _namespaced_names(resolver) if name.endswith(f":{view}")),
        key=lambda name: name.partition(":")[0] not in apps,
    )
    names = [k for k in resolver.reverse_data().lookups if isinstance(k, str)]
    close = namespaced[:1] or difflib.get_close_matches(view, names, n=1)
    if close:
        msg += f" Did you mean {':'.join([*resolved, close[0]])!r}?"
    return msg


def _namespaced_names(resolver: URLResolver) -> Iterator[str]:
    """``"ns:name"`` for every pattern name inside the namespaces below ``resolver``, nearest
    first (nested ones as ``"ns:inner:name"``)."""
    for ns, entry in resolver.reverse_data().namespaces.items():
        for name in entry.resolver.reverse_data().lookups:
            if isinstance(name, str):
                yield f"{ns}:{name}"
    for ns, entry in resolver.reverse_data().namespaces.items():
        for inner in _namespaced_names(entry.resolver):
            yield f"{ns}:{inner}"


def _unknown_namespace(ns: str, resolved: list[str], known: Iterable[str]) -> str:
    msg = f"{ns!r} is not a registered namespace"
    if resolved:
        msg += f" inside {':'.join(resolved)!r}"
    close = difflib.get_close_matches(ns, list(known), n=1)
    return msg + (f". Did you mean {close[0]!r}?" if close else ".")


def _view_label(view: View) -> str:
    return f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', repr(view))}"
