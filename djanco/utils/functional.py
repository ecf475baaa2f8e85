"""Lazily computed strings, for values (like URLs) that cannot be computed at import time."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["LazyStr"]


class LazyStr:
    """A string computed by calling ``func`` each time it is needed.

    It is not cached on purpose: ``reverse_lazy()`` results live in module globals and must
    follow URLconf changes (tests swap ROOT_URLCONF), as Django's lazy proxies do.
    """

    __slots__ = ("_func",)

    def __init__(self, func: Callable[[], str]) -> None:
        self._func = func

    def __str__(self) -> str:
        return self._func()

    def __repr__(self) -> str:
        try:
            return f"LazyStr({self._func()!r})"
        except Exception:  # repr() must not raise, e.g. in a debugger or a traceback page
            return f"<LazyStr of {self._func!r} (fails to evaluate)>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyStr | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __add__(self, other: str | LazyStr) -> str:
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __contains__(self, item: str) -> bool:
        return item in str(self)
