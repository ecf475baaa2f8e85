"""The error page for an exception: 404, 403, 400 or 500, with Django's semantics.

The URLconf's ``handlerXXX`` view answers if it has one, else the default view of
``djanco.views.defaults``; with DEBUG, a 404, 400 or 500 gets the page of
``djanco.views.debug``. The handler calls this for every exception a layer raises, and
SecurityMiddleware for a disallowed host.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.exceptions import BadRequest, Http404, PermissionDenied, SuspiciousOperation
from djanco.http import HttpResponseBase
from djanco.templates.response import TemplateResponse
from djanco.urls import get_resolver
from djanco.views import debug, defaults
from djanco.views.refusals import add_refusal_headers, refusal_page, refusal_status

if TYPE_CHECKING:
    from djanco.http import HttpRequest

request_logger = logging.getLogger("djanco.request")

_DEFAULT_VIEWS: dict[int, Callable[..., object]] = {
    400: defaults.bad_request,
    403: defaults.permission_denied,
    404: defaults.page_not_found,
    500: defaults.server_error,
}


async def response_for_exception(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    """The page for ``exc``: 404, 403, 400 or 500, using the URLconf's handlerXXX if any;
    413 for a body over the limit, 503 (with ``Retry-After``) when the database is unavailable.

    With DEBUG, a 404 lists the URL patterns tried and a 500 (or a 400) shows the traceback;
    without DEBUG a plain page is returned and the details go to the logs.
    """
    if isinstance(exc, Http404):
        request_logger.warning("Not Found: %s", request.path)
        if settings.DEBUG:
            return debug.technical_404_response(request, exc)
        return await get_exception_response(request, 404, exc)
    if isinstance(exc, PermissionDenied):
        request_logger.warning("Forbidden (Permission denied): %s", request.path, exc_info=exc)
        return await get_exception_response(request, 403, exc)
    status = refusal_status(exc)
    if status is not None:
        _log_refusal(request, exc, status)
        if settings.DEBUG:
            return add_refusal_headers(debug.technical_500_response(request, exc, status))
        return add_refusal_headers(refusal_page(status, exc))
    if isinstance(exc, BadRequest | SuspiciousOperation):
        if isinstance(exc, SuspiciousOperation):
            # One logger per kind ("djanco.security.DisallowedHost") so each can be silenced.
            logging.getLogger(f"djanco.security.{type(exc).__name__}").error("%s", exc)
        else:
            request_logger.warning("Bad Request: %s", request.path, exc_info=exc)
        if settings.DEBUG:
            return debug.technical_500_response(request, exc, status_code=400)
        return await get_exception_response(request, 400, exc)
    return await handle_uncaught_exception(request, exc)


def _log_refusal(request: HttpRequest, exc: Exception, status: int) -> None:
    if status == 413:
        logging.getLogger(f"djanco.security.{type(exc).__name__}").error("%s", exc)
    elif status == 503:
        request_logger.error("Service Unavailable (database): %s", request.path, exc_info=exc)
    else:
        request_logger.warning("Client disconnected before sending the body: %s", request.path)


async def handle_uncaught_exception(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    """A 500: logged with its traceback on ``djanco.request``; a traceback page with DEBUG."""
    request_logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    if settings.DEBUG:
        return debug.technical_500_response(request, exc)
    return await get_exception_response(request, 500, exc)


async def get_exception_response(
    request: HttpRequest, status_code: int, exc: Exception
) -> HttpResponseBase:
    """Call the error view for ``status_code`` (the URLconf's ``handlerXXX`` or the default).

    A failing custom handler falls back to the 500 page; a failing 500 handler falls back to
    the plain default page, so an error page can never itself escape as an exception.
    """
    try:
        handler = _error_handler(status_code)
        response = await _call_error_handler(handler, request, status_code, exc)
    except Exception as handler_exc:
        if status_code == 500:
            request_logger.error("The handler500 view failed", exc_info=handler_exc)
            return defaults.plain_server_error()
        return await handle_uncaught_exception(request, handler_exc)
    return response


def _error_handler(status_code: int) -> Callable[..., object]:
    try:
        custom = get_resolver().handler(status_code)
    except Exception:
        if status_code != 500:
            raise
        custom = None  # a broken URLconf must not stop the 500 page
    return custom if custom is not None else _DEFAULT_VIEWS[status_code]


async def _call_error_handler(
    handler: Callable[..., object], request: HttpRequest, status_code: int, exc: Exception
) -> HttpResponseBase:
    # Django's signatures: handler500(request), the others handlerXXX(request, exception).
    args: tuple[object, ...] = (request,) if status_code == 500 else (request, exc)
    result = handler(*args)
    if inspect.isawaitable(result):
        result = await result
    return await ensure_response(result, handler)


async def ensure_response(result: object, view: Callable[..., object]) -> HttpResponseBase:
    """``result`` as a sendable response, rendering a lazy TemplateResponse; else a clear error."""
    if isinstance(result, TemplateResponse):
        if not result.is_rendered:
            await result.render_async()
        return result
    if isinstance(result, HttpResponseBase):
        return result
    raise ValueError(_not_a_response_message(result, view))


def _not_a_response_message(result: object, view: Callable[..., object]) -> str:
    name = f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', repr(view))}"
    if result is None:
        got = "None instead"
    elif inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()  # it will never run: don't also warn "never awaited"
        got = "an unawaited coroutine instead. You may need to add an 'await' into your view"
    else:
        got = f"a {type(result).__name__} instead"
    return f"The view {name} didn't return an HttpResponse object. It returned {got}."
