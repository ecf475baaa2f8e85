"""Content Security Policy decorators (Django 6.0's): one view's own policy instead of
SECURE_CSP or SECURE_CSP_REPORT_ONLY. They work on ``def`` and ``async def`` views and keep
the view's kind and signature."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Concatenate, ParamSpec, TypeVar, cast

from djanco.http import HttpRequest
from djanco.middleware.csp import override_policy
from djanco.utils.csp import CSP, CSPValue

__all__ = ["csp_override", "csp_report_only_override"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_Req = TypeVar("_Req", bound=HttpRequest)
_View = Callable[Concatenate[_Req, _P], _R]


def csp_override(
    config: Mapping[str, CSPValue],
) -> Callable[[_View[_Req, _P, _R]], _View[_Req, _P, _R]]:
    """The view's responses get ``config`` as their Content-Security-Policy (``{}``: none)::

    @csp_override({"default-src": [CSP.SELF], "frame-src": ["https://maps.example"]})
    def map_page(request): ...
    """
    return _overriding(CSP.HEADER_ENFORCE, config)


def csp_report_only_override(
    config: Mapping[str, CSPValue],
) -> Callable[[_View[_Req, _P, _R]], _View[_Req, _P, _R]]:
    """The view's responses get ``config`` as their Content-Security-Policy-Report-Only."""
    return _overriding(CSP.HEADER_REPORT_ONLY, config)


def _overriding(
    header: CSP, config: Mapping[str, CSPValue]
) -> Callable[[_View[_Req, _P, _R]], _View[_Req, _P, _R]]:
    if not isinstance(config, Mapping):
        raise TypeError("CSP config should be a mapping.")
    policy = dict(config)

    def decorator(view: _View[_Req, _P, _R]) -> _View[_Req, _P, _R]:
        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_overridden(
                request: _Req, *args: _P.args, **kwargs: _P.kwargs
            ) -> object:
                override_policy(request, header, policy)
                return await cast("Awaitable[object]", view(request, *args, **kwargs))

            return cast("_View[_Req, _P, _R]", async_overridden)

        @functools.wraps(view)
        def overridden(request: _Req, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            override_policy(request, header, policy)
            return view(request, *args, **kwargs)

        return overridden

    return decorator
