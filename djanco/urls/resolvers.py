"""URLPattern (a route to a view) and URLResolver (a route to a list of patterns)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import NamedTuple

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls._template import Template, params_of
from djanco.urls.exceptions import Resolver404
from djanco.urls.patterns import Pattern, RoutePattern
from djanco.urls.resolver_match import ResolverMatch, RouteInfo, View
from djanco.utils.module_loading import import_string

__all__ = ["URLConf", "URLEntry", "URLPattern", "URLResolver"]


class URLEntry:
    """What ``path()`` and ``re_path()`` return: a URLPattern or a URLResolver.

    The shared base lets type checkers infer ``list[URLEntry]`` for a ``urlpatterns`` list
    mixing views and ``include()``s, instead of ``list[object]``.
    """

    __slots__ = ()
    pattern: Pattern


# What a resolver reads its patterns from: a dotted module path, a module, or the list itself.
URLConf = str | ModuleType | Sequence[URLEntry]


class URLPattern(URLEntry):
    """``path("route", view, kwargs, name)``: a pattern that ends in a view."""

    __slots__ = ("callback", "default_args", "name", "pattern")

    def __init__(
        self,
        pattern: Pattern,
        callback: View,
        default_args: dict[str, object] | None = None,
        name: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.callback = callback
        self.default_args: dict[str, object] = default_args or {}
        self.name = name

    def resolve(self, path: str) -> ResolverMatch | None:
        """The match for ``path`` (relative to the enclosing resolver), or None."""
        m = self.pattern.match(path)
        if m is None:
            return None
        _, args, captured = m
        kwargs = {**captured, **self.default_args} if self.default_args else captured
        return ResolverMatch(
            self.callback,
            args,
            kwargs,
            self.name,
            route=self.pattern.route,
            captured_kwargs=dict(captured),
            extra_kwargs=dict(self.default_args),
        )

    def __repr__(self) -> str:
        name = f" [name={self.name!r}]" if self.name else ""
        return f"<URLPattern {self.pattern.route!r}{name}>"


@dataclass(slots=True)
class _Candidate:
    """A pattern ``reverse()`` may produce for a name: its templates with parameter names."""

    templates: list[tuple[Template, tuple[str, ...]]]
    defaults: dict[str, object]
    route: str


@dataclass(slots=True)
class _Namespace:
    """An instance namespace reachable from a resolver, with the route prefix leading to it."""

    prefixes: list[Template]
    route: str
    defaults: dict[str, object]
    resolver: URLResolver


class _ReverseData(NamedTuple):
    lookups: dict[str | View, list[_Candidate]]  # name or view -> candidates, last defined first
    namespaces: dict[str, _Namespace]
    apps: dict[str, list[str]]  # app namespace -> its instance namespaces, last deployed first


_Matcher = Callable[[str], ResolverMatch | None]
_Index = tuple[dict[str, tuple[_Matcher, ...]], tuple[_Matcher, ...]]


class URLResolver(URLEntry):
    """``path("prefix/", include(...))``, and the root of a URLconf (``get_resolver()``).

    Patterns are loaded on first use; resolving then walks them in order. Paths made only of
    literal routes are also kept in a dict for a single lookup on the hot path.
    """

    def __init__(
        self,
        pattern: Pattern,
        urlconf_name: URLConf,
        default_kwargs: dict[str, object] | None = None,
        app_name: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.urlconf_name = urlconf_name
        self.default_kwargs: dict[str, object] = default_kwargs or {}
        self.app_name = app_name
        self.namespace = namespace
        self._patterns: list[URLPattern | URLResolver] | None = None
        self._static: dict[str, ResolverMatch] | None = None
        self._index: _Index | None = None
        self._reverse: _ReverseData | None = None
        self._handlers: dict[int, View | None] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        name = self.urlconf_name
        conf = name.__name__ if isinstance(name, ModuleType) else repr(name)
        if not isinstance(name, str | ModuleType):
            conf = f"<{len(name)} patterns>"
        return f"<URLResolver {conf} ({self.app_name}:{self.namespace}) {self.pattern.route!r}>"

    # -- loading ---------------------------------------------------------------------------

    @property
    def urlconf_module(self) -> ModuleType | Sequence[URLEntry]:
        name = self.urlconf_name
        if not isinstance(name, str):
            return name
        try:
            return import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not f"{name}.".startswith(f"{exc.name}."):
                raise
            raise ImproperlyConfigured(f"URLconf module {name!r} does not exist.") from exc

    @property
    def url_patterns(self) -> list[URLPattern | URLResolver]:
        """The patterns, imported and checked once."""
        patterns = self._patterns
        if patterns is None:
            with self._lock:
                if self._patterns is None:
                    self._patterns = self._load_patterns()
                patterns = self._patterns
        return patterns

    def _load_patterns(self) -> list[URLPattern | URLResolver]:
        module = self.urlconf_module
        patterns = getattr(module, "urlpatterns", module)
        label = self.urlconf_name if isinstance(self.urlconf_name, str) else repr(self)
        if isinstance(patterns, ModuleType) or not isinstance(patterns, Sequence):
            raise ImproperlyConfigured(
                f"The included URLconf {label!r} does not appear to have any patterns in it. "
                "If you see the 'urlpatterns' variable with valid patterns in the file then "
                "the issue is probably caused by a circular import."
            )
        entries: list[URLPattern | URLResolver] = []
        for index, item in enumerate(patterns):
            if not isinstance(item, URLPattern | URLResolver):
                raise ImproperlyConfigured(
                    f"URLconf {label!r}: urlpatterns[{index}] is {item!r}, not a path() or "
                    "re_path() pattern."
                )
            entries.append(item)
        return entries

    # -- resolving -------------------------------------------------------------------------

    def resolve(self, path: str) -> ResolverMatch:
        """The match for ``path``; ``Resolver404`` (with ``tried``) when nothing matches."""
        static = self._static
        if static is None:
            static = self._build_static()
        hit = static.get(path)
        if hit is not None:
            return hit._copy()
        m = self.pattern.match(path)
        if m is not None:
            match = self._resolve_children(*m)
            if match is not None:
                return match
        tried = self._tried(path)
        raise Resolver404(path, [route for route, _ in tried], [name for _, name in tried])

    def _match(self, path: str) -> ResolverMatch | None:
        """As a child of another resolver: the match with this prefix's route, or None."""
        m = self.pattern.match(path)
        if m is None:
            return None
        match = self._resolve_children(*m)
        if match is not None:
            match.route = _join_route(self.pattern.route, match.route)
        return match

    def _resolve_children(
        self, rest: str, args: tuple[object, ...], kwargs: dict[str, object]
    ) -> ResolverMatch | None:
        by_segment, others = self._index or self._build_index()
        slash = rest.find("/")
        for matcher in by_segment.get(rest if slash < 0 else rest[:slash], others):
            match = matcher(rest)
            if match is None:
                continue
            if kwargs or self.default_kwargs:
                match.kwargs = {**kwargs, **self.default_kwargs, **match.kwargs}
                if kwargs:
                    match.captured_kwargs = {**kwargs, **match.captured_kwargs}
                if self.default_kwargs:
                    match.extra_kwargs = {**self.default_kwargs, **match.extra_kwargs}
            if args and not match.kwargs:  # as in Django: captured kwargs drop positional args
                match.args = args + match.args
            if self.namespace:
                match.namespaces.insert(0, self.namespace)
            if self.app_name:
                match.app_names.insert(0, self.app_name)
            return match
        return None

    def _build_index(self) -> _Index:
        """Children by the first path segment they can match, keeping their order.

        ``"articles/<int:pk>/"`` can only match a path whose first segment is "articles", so a
        request for "/about/" skips it; children with no literal first segment are kept for
        every path.
        """
        keyed: list[tuple[str | None, _Matcher]] = []
        for child in self.url_patterns:
            matcher = child.resolve if isinstance(child, URLPattern) else child._match
            keyed.append((_first_segment(child), matcher))
        segments = {key for key, _ in keyed if key is not None}
        by_segment = {
            segment: tuple(m for key, m in keyed if key is None or key == segment)
            for segment in segments
        }
        index = (by_segment, tuple(m for key, m in keyed if key is None))
        self._index = index
        return index

    def _tried(self, path: str) -> list[tuple[str, str | None]]:
        """The full routes tried for ``path`` with their pattern names, in order (only
        computed when nothing matched)."""
        m = self.pattern.match(path)
        if m is None:
            return []
        rest = m[0]
        tried: list[tuple[str, str | None]] = []
        for child in self.url_patterns:
            if isinstance(child, URLPattern):
                tried.append((child.pattern.route, child.name))
            elif child.pattern.match(rest) is None:
                tried.append((child.pattern.route, None))
            else:
                tried.extend(
                    (_join_route(child.pattern.route, route), name)
                    for route, name in child._tried(rest)
                )
        return tried

    def _build_static(self) -> dict[str, ResolverMatch]:
        """Matches for every path made only of literal routes, as the ordered walk finds them.

        Each entry is what the full walk returns for that path (so an earlier ``<slug:s>/``
        still wins over a later ``about/``); only matches with nothing captured are kept.
        """
        with self._lock:
            if self._static is not None:
                return self._static
            static: dict[str, ResolverMatch] = {}
            prefix = _literal(self.pattern)
            if prefix is not None:
                for route in self._literal_routes():
                    path = prefix + route
                    m = self.pattern.match(path)
                    match = self._resolve_children(*m) if m is not None else None
                    if match is not None and match.route == route:
                        static.setdefault(path, match)
            self._static = static
            return static

    def _literal_routes(self) -> Iterator[str]:
        for child in self.url_patterns:
            literal = _literal(child.pattern)
            if literal is None:
                continue
            if isinstance(child, URLPattern):
                yield literal
            else:
                yield from (literal + route for route in child._literal_routes())

    # -- listing and handlers --------------------------------------------------------------

    def iter_routes(self) -> Iterator[RouteInfo]:
        """Every pattern that ends in a view, with its full route and ``"ns:name"``."""
        for child in self.url_patterns:
            if isinstance(child, URLPattern):
                yield RouteInfo(child.pattern.route, child.name, child.callback)
                continue
            ns = f"{child.namespace}:" if child.namespace else ""
            for info in child.iter_routes():
                yield RouteInfo(
                    _join_route(child.pattern.route, info.route),
                    ns + info.name if info.name is not None else None,
                    info.view,
                )

    def handler(self, code: int) -> View | None:
        """The URLconf's ``handler<code>`` view (a callable or dotted path), or None."""
        try:
            return self._handlers[code]
        except KeyError:
            pass
        value = getattr(self.urlconf_module, f"handler{code}", None)
        if isinstance(value, str):
            value = import_string(value)
        view: View | None
        if value is None:
            view = None
        elif callable(value):
            view = value
        else:
            raise ImproperlyConfigured(
                f"handler{code} in URLconf {self.urlconf_name!r} is {value!r}, not a view."
            )
        self._handlers[code] = view
        return view

    # -- reversing -------------------------------------------------------------------------

    def reverse_data(self) -> _ReverseData:
        """Names, namespaces and apps reachable from here (built once; internal to reverse())."""
        data = self._reverse
        if data is None:
            with self._lock:
                if self._reverse is None:
                    self._reverse = self._build_reverse()
                data = self._reverse
        return data

    def _build_reverse(self) -> _ReverseData:
        lookups: dict[str | View, list[_Candidate]] = {}
        namespaces: dict[str, _Namespace] = {}
        apps: dict[str, list[str]] = {}
        # Walk backwards so that, as in Django, the last pattern with a name is tried first.
        for child in reversed(self.url_patterns):
            prefixes = child.pattern.templates
            route = child.pattern.route
            if isinstance(child, URLPattern):
                candidate = _Candidate(
                    [(t, _unique(params_of(t))) for t in prefixes], child.default_args, route
                )
                lookups.setdefault(child.callback, []).append(candidate)
                if child.name is not None:
                    lookups.setdefault(child.name, []).append(candidate)
            elif child.namespace:
                entry = _Namespace(prefixes, route, child.default_kwargs, child)
                namespaces[child.namespace] = entry
                if child.app_name:
                    apps.setdefault(child.app_name, []).append(child.namespace)
            else:
                sub = child.reverse_data()
                for key, candidates in sub.lookups.items():
                    target = lookups.setdefault(key, [])
                    for c in candidates:
                        combined = [p + t for p in prefixes for t, _ in c.templates]
                        target.append(
                            _Candidate(
                                [(t, _unique(params_of(t))) for t in combined],
                                {**child.default_kwargs, **c.defaults},
                                _join_route(route, c.route),
                            )
                        )
                for ns, e in sub.namespaces.items():
                    namespaces[ns] = _Namespace(
                        [p + t for p in prefixes for t in e.prefixes],
                        _join_route(route, e.route),
                        {**child.default_kwargs, **e.defaults},
                        e.resolver,
                    )
                for app, instances in sub.apps.items():
                    apps.setdefault(app, []).extend(instances)
        return _ReverseData(lookups, namespaces, apps)


def root_resolver(urlconf: URLConf) -> URLResolver:
    """A URLconf's root resolver: it consumes the leading "/" of request paths."""
    return URLResolver(RoutePattern("/", is_endpoint=False), urlconf)


def _literal(pattern: Pattern) -> str | None:
    return pattern.literal if isinstance(pattern, RoutePattern) else None


def _first_segment(child: URLPattern | URLResolver) -> str | None:
    """The first path segment ``child`` requires, or None if it is not fixed."""
    literal = child.pattern.templates[0][:1] if isinstance(child.pattern, RoutePattern) else ()
    prefix = literal[0] if literal and isinstance(literal[0], str) else ""
    if "/" in prefix:
        return prefix[: prefix.index("/")]
    if isinstance(child, URLPattern) and _literal(child.pattern) is not None:
        return prefix  # a whole route without "/" ("" or "robots.txt") is the whole path
    return None


def _join_route(prefix: str, route: str) -> str:
    """Join two routes, dropping a nested regex's leading '^', as Django shows them."""
    if prefix and route.startswith("^"):
        return prefix + route[1:]
    return prefix + route


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
