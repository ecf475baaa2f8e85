"""The handler's own answers to requests it will not or cannot serve: 413, 503, a lost client.

Django has no ``handler413``/``handler503``, so these are plain pages; with DEBUG the traceback
page is shown instead, with the same status and headers.
"""

from __future__ import annotations

import sys
from html import escape
from http import HTTPStatus

from starlette.requests import ClientDisconnect

from djanco.core.exceptions import RequestDataTooBig
from djanco.http import HttpResponse

RETRY_AFTER_SECONDS = 5
"""What a 503 tells clients to wait: long enough for a database restart or failover."""


def refusal_status(exc: Exception) -> int | None:
    """413, 503 or 400 when ``exc`` is answered here rather than by an error view, else None.

    413: the body is over DATA_UPLOAD_MAX_MEMORY_SIZE. 503: the database is unreachable
    or its connection broke (the OperationalError/InterfaceError family), which passes.
    400: the client went away before sending the whole body.
    """
    if isinstance(exc, RequestDataTooBig):
        return 413
    if isinstance(exc, ClientDisconnect):
        return 400
    if _is_database_unavailable(exc):
        return 503
    return None


def refusal_page(status: int, exc: Exception) -> HttpResponse:
    """A plain page for ``status``; a 413 says why, since the client can fix it."""
    phrase = HTTPStatus(status).phrase
    detail = f"<p>{escape(str(exc))}</p>\n" if status == 413 else ""
    page = (
        f'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{phrase}</title></head>\n<body>\n<h1>{phrase} ({status})</h1>\n{detail}"
        "</body>\n</html>\n"
    )
    return HttpResponse(page, status=status)


def add_refusal_headers(response: HttpResponse) -> HttpResponse:
    """``Retry-After`` on a 503; ``Connection: close`` on a 413 so the rest of the body is
    never read."""
    if response.status_code == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif response.status_code == 413:
        response["Connection"] = "close"
    return response


def _is_database_unavailable(exc: Exception) -> bool:
    # A site that never touched the ORM has not imported djanco.db (which pulls in SQLAlchemy),
    # and then ``exc`` cannot be one of its errors: look the module up instead of importing it.
    utils = sys.modules.get("djanco.db.utils")
    if utils is None:
        return False
    unavailable: tuple[type[Exception], ...] = (utils.OperationalError, utils.InterfaceError)
    # A driver's own error that escaped translation (e.g. from connecting) counts by its kind.
    translated: object = utils.translate_error(exc)
    return isinstance(translated, unavailable)
