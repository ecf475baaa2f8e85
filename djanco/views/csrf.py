"""The 403 page of a request refused by CSRF protection: the reason, and with DEBUG how to
fix it. A project's own ``403_csrf.html`` replaces it (see CSRF_FAILURE_VIEW)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import jinja2

from djanco.conf import settings
from djanco.http import HttpResponseBase, HttpResponseForbidden
from djanco.middleware.csrf import (
    REASON_BAD_ORIGIN,
    REASON_BAD_REFERER,
    REASON_CSRF_TOKEN_MISSING,
    REASON_NO_CSRF_COOKIE,
    REASON_NO_REFERER,
)
from djanco.templates import TemplateResponse, get_template

if TYPE_CHECKING:
    from djanco.http import HttpRequest

CSRF_FAILURE_TEMPLATE_NAME = "403_csrf.html"

_NO_REFERER = (
    "This HTTPS site requires your browser to send a Referer header, and none was sent. "
    "It is required for security reasons, to make sure your browser is not being hijacked "
    "by a third party. If you have disabled Referer headers (a browser setting, a "
    '<code>&lt;meta name="referrer" content="no-referrer"&gt;</code> tag or a '
    "<code>Referrer-Policy: no-referrer</code> header), allow them for this site, or at "
    "least for same-origin requests."
)
_NO_COOKIE = (
    "This site requires a CSRF cookie when submitting forms, to make sure your browser is "
    "not being hijacked by a third party. If you have disabled cookies, enable them for "
    "this site, or at least for same-origin requests."
)
_CHECKLIST = (
    "The view that rendered the form passed the request to the template (<code>render("
    "request, ...)</code>), and the form contains <code>{{ csrf_input }}</code>.",
    "Scripts send the token in the <code>X-CSRFToken</code> header (CSRF_HEADER_NAME), taken "
    "from <code>{{ csrf_token }}</code> or from the CSRF cookie (CSRF_COOKIE_NAME).",
    "Without CsrfViewMiddleware, views that render a form, and views that take its data, "
    "are decorated with <code>@csrf_protect</code>.",
    "The page with the form is fresh: logging in gives a new token, so a page loaded before "
    "(another tab, the back button) sends an old one. Reload it and submit again.",
    "A view that must accept requests from other sites (a webhook, an API using its own "
    "authentication) is decorated with <code>@csrf_exempt</code>.",
)


def csrf_failure(
    request: HttpRequest, reason: str = "", template_name: str = CSRF_FAILURE_TEMPLATE_NAME
) -> HttpResponseBase:
    """A 403 saying why the request was refused (``reason``), and with DEBUG how to fix it.

    ``template_name`` (``403_csrf.html``) is rendered instead if the project has it, with
    ``reason``, ``no_referer``, ``no_cookie`` and ``DEBUG`` in its context.
    """
    context: dict[str, object] = {
        "reason": reason,
        "no_referer": reason == REASON_NO_REFERER,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "DEBUG": settings.DEBUG,
    }
    try:
        get_template(template_name)
    except jinja2.TemplateNotFound:
        return HttpResponseForbidden(_page(request, reason))
    return TemplateResponse(request, template_name, context, status=403)


def _page(request: HttpRequest, reason: str) -> str:
    body = [
        "<h1>Forbidden <span>(403)</span></h1>",
        "<p>CSRF verification failed. Request aborted.</p>",
    ]
    if reason == REASON_NO_REFERER:
        body.append(f"<p>{_NO_REFERER}</p>")
    elif reason == REASON_NO_CSRF_COOKIE:
        body.append(f"<p>{_NO_COOKIE}</p>")
    if settings.DEBUG:
        body.append(f"<h2>Reason given for failure:</h2>\n<pre>{escape(reason)}</pre>")
        hint = _hint(request, reason)
        if hint:
            body.append(f"<h2>How to fix it</h2>\n<p>{hint}</p>")
        items = "".join(f"<li>{item}</li>" for item in _CHECKLIST)
        body.append(f"<p>Otherwise, check that:</p>\n<ul>{items}</ul>")
    else:
        body.append("<p>More information is available with DEBUG=True.</p>")
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="robots" content="NONE,NOARCHIVE"><title>403 Forbidden</title></head>\n'
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _hint(request: HttpRequest, reason: str) -> str:
    """What most likely fixes ``reason``, in HTML."""
    site = escape(f"{request.scheme}://{request.get_host()}")
    if reason == REASON_NO_CSRF_COOKIE:
        return (
            "The browser sent no CSRF cookie. A response sets it when its page uses "
            "<code>{{ csrf_input }}</code> or <code>{{ csrf_token }}</code> (or its view is "
            "decorated with <code>@ensure_csrf_cookie</code>): render the form with one of "
            "them. With CSRF_COOKIE_SECURE on, the cookie only travels over HTTPS."
        )
    if reason == REASON_CSRF_TOKEN_MISSING:
        return (
            "The request carried no token: put <code>{{ csrf_input }}</code> inside the <code>"
            '&lt;form method="post"&gt;</code>, or send the X-CSRFToken header from scripts.'
        )
    if reason.startswith("CSRF token from"):  # incorrect, or of the wrong length or characters
        return (
            "The token sent does not belong to this client's CSRF cookie. The page with the "
            "form was probably rendered before the cookie changed (a login rotates it): "
            "reload it. A token copied from another browser or site never matches."
        )
    if reason.startswith(REASON_BAD_ORIGIN.partition("%s")[0]):
        return (
            f"The browser says the request comes from another site than this one ({site}). "
            "If that origin is yours, add it to CSRF_TRUSTED_ORIGINS, with its scheme "
            '(<code>"https://example.com"</code>). Behind a proxy that terminates HTTPS, set '
            "SECURE_PROXY_SSL_HEADER (so the request is known to be HTTPS), and "
            "USE_X_FORWARDED_HOST if the proxy changes the Host header."
        )
    if reason.startswith(REASON_BAD_REFERER.partition("%s")[0]):
        return (
            f"The Referer names a page outside this site ({site}). If that site is yours, "
            "add its origin to CSRF_TRUSTED_ORIGINS."
        )
    return ""
