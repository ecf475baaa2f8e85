"""Static checks of the CSRF and CSP view decorators: a decorated view keeps its signature
and its kind (mypy and pyright).

Never run: the checkers read it. An expected error is written with a `# type: ignore[code]`
comment, which both checkers report as unnecessary if the error ever goes away.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import assert_type

from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.middleware.csrf import get_token, rotate_token
from djanco.views.decorators.csrf import (
    csrf_exempt,
    csrf_protect,
    ensure_csrf_cookie,
    requires_csrf_token,
)


@csrf_exempt
def webhook(request: HttpRequest, source: str) -> HttpResponse:
    return HttpResponse(source)


@csrf_protect
async def apply(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


@csrf_protect
def apply_sync(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


@ensure_csrf_cookie
async def spa(request: HttpRequest) -> HttpResponse:
    return HttpResponse("app")


@requires_csrf_token
def failure_page(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(reason, status=403)


def check(request: HttpRequest) -> None:
    assert_type(webhook(request, "github"), HttpResponse)
    assert_type(apply(request, 1), Awaitable[HttpResponseBase])
    assert_type(apply_sync(request, 1), HttpResponseBase)
    assert_type(failure_page(request, reason="x"), HttpResponse)
    assert_type(get_token(request), str)
    assert_type(rotate_token(request), None)
    webhook(request, 1)  # type: ignore[arg-type]
    apply(request, "one")  # type: ignore[arg-type]


async def acheck(request: HttpRequest) -> None:
    assert_type(await spa(request), HttpResponse)
