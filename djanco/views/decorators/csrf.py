"""CSRF decorators (Django's): exempt one view, or protect it without the middleware.

Each works on ``def`` and ``async def`` views and keeps the view's kind and signature.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar, cast, overload

from djanco.http import HttpRequest, HttpResponseBase
from djanco.middleware.csrf import CsrfProtection
from djanco.templates import TemplateResponse
from djanco.utils.flow import Flow, arun, run

__all__ = ["csrf_exempt", "csrf_protect", "ensure_csrf_cookie", "requires_csrf_token"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_Req = TypeVar("_Req", bound=HttpRequest)


def csrf_exempt(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mark ``view`` as exempt from CsrfViewMiddleware's checks (a webhook, an API with its
    own authentication). ``{{ csrf_input }}`` still works in its templates."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_exempt(*args: _P.args, **kwargs: _P.kwargs) -> object:
            return await cast("Awaitable[object]", view(*args, **kwargs))

        wrapper: Callable[..., object] = async_exempt
    else:

        @functools.wraps(view)
        def exempt(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            return view(*args, **kwargs)

        wrapper = exempt
    vars(wrapper)["csrf_exempt"] = True
    return cast("Callable[_P, _R]", wrapper)  # the same signature and kind as ``view``


@overload
def csrf_protect(
    view: Callable[Concatenate[_Req, _P], Awaitable[HttpResponseBase]],
) -> Callable[Concatenate[_Req, _P], Awaitable[HttpResponseBase]]: ...
@overload
def csrf_protect(
    view: Callable[Concatenate[_Req, _P], HttpResponseBase],
) -> Callable[Concatenate[_Req, _P], HttpResponseBase]: ...
def csrf_protect(view: Callable[..., object]) -> Callable[..., object]:
    """Protect ``view`` as CsrfViewMiddleware would (for a project without it); a refused
    request gets the 403 of CSRF_FAILURE_VIEW (so the view's type becomes HttpResponseBase).
    With the middleware too, it checks once."""
    return _around(view, reject=True, ensure_cookie=False)


def requires_csrf_token(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """Make ``{{ csrf_input }}`` work in ``view``'s templates (and set the cookie) without
    the middleware, and without refusing anything (for a custom CSRF_FAILURE_VIEW's page)."""
    return cast("Callable[_P, _R]", _around(view, reject=False, ensure_cookie=False))


def ensure_csrf_cookie(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """Send the CSRF cookie with ``view``'s response even if its page shows no token, for a
    page whose scripts send the cookie's value in X-CSRFToken."""
    return cast("Callable[_P, _R]", _around(view, reject=False, ensure_cookie=True))


def _around(
    view: Callable[..., object], *, reject: bool, ensure_cookie: bool
) -> Callable[..., object]:
    """``view`` with CsrfProtection's checks before it and its cookie after it."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_protected(request: HttpRequest, *args: object, **kwargs: object) -> object:
            protection = CsrfProtection(reject=reject, ensure_cookie=ensure_cookie)
            refusal = await arun(protection.check(request, view))
            if refusal is not None:
                return refusal
            response = await cast("Awaitable[object]", view(request, *args, **kwargs))
            return await arun(_after_view(protection, request, response))

        return async_protected

    @functools.wraps(view)
    def protected(request: HttpRequest, *args: object, **kwargs: object) -> object:
        protection = CsrfProtection(reject=reject, ensure_cookie=ensure_cookie)
        refusal = run(protection.check(request, view))
        if refusal is not None:
            return refusal
        return run(_after_view(protection, request, view(request, *args, **kwargs)))

    return protected


def _after_view(protection: CsrfProtection, request: HttpRequest, response: object) -> Flow[object]:
    """Set the cookie on ``response``; on a TemplateResponse once rendered, since the page
    may use the token only as it renders."""
    if isinstance(response, TemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(lambda page: run(protection.finish(request, page)))
        return response
    if isinstance(response, HttpResponseBase):
        return (yield from protection.finish(request, response))
    return response
