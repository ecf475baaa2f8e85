"""The default error views, Django's names: a project's ``404.html`` (etc.) if it has one.

A URLconf replaces any of them with ``handler400/403/404/500``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

import jinja2

from djanco.core.exceptions import BadRequest
from djanco.http import HttpResponse
from djanco.templates.environment import get_environment, make_context

if TYPE_CHECKING:
    from djanco.http import HttpRequest

_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
    "<body>\n<h1>{title}</h1>\n{body}</body>\n</html>\n"
)


async def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: ``404.html`` with ``request_path`` and ``exception`` (its message), else plain."""
    context = {"request_path": request.path, "exception": str(exception)}
    page = await _render_template("404.html", context, request)
    if page is None:
        page = _plain("Not Found", "The requested resource was not found on this server.")
    return HttpResponse(page, status=404)


async def server_error(request: HttpRequest) -> HttpResponse:
    """500: ``500.html`` rendered without context (it must not fail again), else plain."""
    page = await _render_template("500.html", {}, None)
    return HttpResponse(page or _plain("Server Error (500)"), status=500)


async def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: ``400.html``, else a plain page; a BadRequest's message is meant for the client."""
    message = str(exception) if isinstance(exception, BadRequest) else ""
    page = await _render_template("400.html", {"exception": message}, request)
    if page is None:
        page = _plain("Bad Request (400)", message)
    return HttpResponse(page, status=400)


async def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: ``403.html`` with ``exception`` (its message), else plain."""
    page = await _render_template("403.html", {"exception": str(exception)}, request)
    return HttpResponse(page or _plain("403 Forbidden"), status=403)


def plain_server_error() -> HttpResponse:
    """The last-resort 500 page, used when even the 500 handler fails."""
    return HttpResponse(_plain("Server Error (500)"), status=500)


def _plain(title: str, message: str = "") -> str:
    body = f"<p>{html.escape(message)}</p>\n" if message else ""
    return _PAGE.format(title=html.escape(title), body=body)


async def _render_template(
    name: str, context: Mapping[str, object], request: HttpRequest | None
) -> str | None:
    """``name`` rendered if the project has it, else None. Only "not found" is tolerated.

    With a request, the template also sees ``request`` and the context processors' variables.
    """
    try:
        template = get_environment().get_template(name)
    except jinja2.TemplateNotFound:
        return None
    return await template.render_async(make_context(context, request))
