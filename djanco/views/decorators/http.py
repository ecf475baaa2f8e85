"""Decorators restricting a view to some HTTP methods (405 with ``Allow`` otherwise)."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Concatenate, ParamSpec, TypeVar, overload

from djanco.http.request import HttpRequest
from djanco.http.response import HttpResponseBase, HttpResponseNotAllowed

logger = logging.getLogger("djanco.request")

_P = ParamSpec("_P")
_Req = TypeVar("_Req", bound=HttpRequest)
_Resp = TypeVar("_Resp", bound=HttpResponseBase)


class require_http_methods:
    """Decorator: answer 405 Method Not Allowed unless the request method is listed.

    ``@require_http_methods(["GET", "POST"])`` works on ``def`` and ``async def`` views
    (an async view stays async).
    """

    def __init__(self, request_method_list: Sequence[str]) -> None:
        self.methods = [method.upper() for method in request_method_list]

    @overload
    def __call__(
        self, view: Callable[Concatenate[_Req, _P], Awaitable[_Resp]]
    ) -> Callable[Concatenate[_Req, _P], Awaitable[_Resp | HttpResponseNotAllowed]]: ...

    @overload
    def __call__(
        self, view: Callable[Concatenate[_Req, _P], _Resp]
    ) -> Callable[Concatenate[_Req, _P], _Resp | HttpResponseNotAllowed]: ...

    def __call__(self, view: Callable[..., object]) -> Callable[..., object]:
        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_inner(request: HttpRequest, *args: object, **kwargs: object) -> object:
                if request.method not in self.methods:
                    return self._not_allowed(request)
                return await view(request, *args, **kwargs)

            return async_inner

        @functools.wraps(view)
        def inner(request: HttpRequest, *args: object, **kwargs: object) -> object:
            if request.method not in self.methods:
                return self._not_allowed(request)
            return view(request, *args, **kwargs)

        return inner

    def _not_allowed(self, request: HttpRequest) -> HttpResponseNotAllowed:
        logger.warning(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            extra={"status_code": 405, "request": request},
        )
        return HttpResponseNotAllowed(self.methods)


require_GET = require_http_methods(["GET"])
"""Decorator: only GET is allowed."""

require_POST = require_http_methods(["POST"])
"""Decorator: only POST is allowed."""

require_safe = require_http_methods(["GET", "HEAD"])
"""Decorator: only the safe methods GET and HEAD are allowed."""

__all__ = ["require_GET", "require_POST", "require_http_methods", "require_safe"]
