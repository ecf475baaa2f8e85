"""What resolving a path gives: the view, its arguments, and where in the URLconf it was found."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

__all__ = ["ResolverMatch", "RouteInfo", "View"]

# A view: called as view(request, *args, **kwargs); the handler checks what it returns.
View = Callable[..., object]


class RouteInfo(NamedTuple):
    """One URL pattern as listed by ``djanco routes``, the debug 404 page and the checks."""

    route: str  # the full route from the URLconf root, e.g. "blog/<int:pk>/"
    name: str | None  # the full name with namespaces, e.g. "blog:detail"
    view: View


class ResolverMatch:
    """The result of ``resolve()``: call ``func(request, *args, **kwargs)``.

    ``app_names`` and ``namespaces`` list the application and instance namespaces from the
    outermost ``include()`` in; ``route`` is the full matched route, as in Django. ``kwargs``
    merges ``captured_kwargs`` (parsed from the URL) and ``extra_kwargs`` (given to
    ``path()``/``include()``). As in Django, it unpacks: ``func, args, kwargs = resolve(p)``.
    """

    __slots__ = (
        "app_names",
        "args",
        "captured_kwargs",
        "extra_kwargs",
        "func",
        "kwargs",
        "namespaces",
        "route",
        "url_name",
    )

    def __init__(
        self,
        func: View,
        args: tuple[object, ...],
        kwargs: dict[str, object],
        url_name: str | None = None,
        app_names: list[str] | None = None,
        namespaces: list[str] | None = None,
        route: str = "",
        captured_kwargs: dict[str, object] | None = None,
        extra_kwargs: dict[str, object] | None = None,
    ) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.url_name = url_name
        self.app_names: list[str] = app_names if app_names is not None else []
        self.namespaces: list[str] = namespaces if namespaces is not None else []
        self.route = route
        self.captured_kwargs: dict[str, object] = captured_kwargs or {}
        self.extra_kwargs: dict[str, object] = extra_kwargs or {}

    def __getitem__(self, index: int) -> Any:
        """``match[0]`` is ``func``, ``match[1]`` ``args``, ``match[2]`` ``kwargs`` (Django's)."""
        return (self.func, self.args, self.kwargs)[index]

    def __iter__(self) -> Iterator[Any]:
        """``func, args, kwargs = resolve(path)``, as in Django."""
        return iter((self.func, self.args, self.kwargs))

    @property
    def app_name(self) -> str:
        return ":".join(self.app_names)

    @property
    def namespace(self) -> str:
        return ":".join(self.namespaces)

    @property
    def view_name(self) -> str:
        """``"ns:name"``, or the view's dotted path when the pattern has no name."""
        return ":".join([*self.namespaces, self.url_name or _dotted_path(self.func)])

    def _copy(self) -> ResolverMatch:
        """A fresh match to hand out from a cache (callers may mutate kwargs)."""
        return ResolverMatch(
            self.func,
            self.args,
            dict(self.kwargs),
            self.url_name,
            list(self.app_names),
            list(self.namespaces),
            self.route,
            dict(self.captured_kwargs),
            dict(self.extra_kwargs),
        )

    def __repr__(self) -> str:
        return (
            f"ResolverMatch(func={_dotted_path(self.func)}, args={self.args!r}, "
            f"kwargs={self.kwargs!r}, url_name={self.url_name!r}, "
            f"app_names={self.app_names!r}, namespaces={self.namespaces!r}, "
            f"route={self.route!r})"
        )


def _dotted_path(func: View) -> str:
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{module}.{qualname}" if module else qualname
