"""Static checks of the CSRF and CSP view decorators: a decorated view keeps its signature
and its kind (mypy and pyright).

Never run: the checkers read it. An expected error is written with a `# type: ignore[code]`
comment, which both checkers report as unnecessary if the error ever goes away.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import assert_type

from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.middleware.csp import get_nonce
from djanco.middleware.csrf import get_token, rotate_token
from djanco.utils.csp import CSP, LazyNonce
from djanco.views.decorators.csp import csp_override, csp_report_only_override
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


@csp_override({"default-src": [CSP.SELF], "frame-src": ["https://maps.example"]})
async def map_page(request: HttpRequest, zoom: int) -> HttpResponse:
    return HttpResponse(str(zoom))


@csp_report_only_override({"script-src": [CSP.SELF, CSP.NONCE], "upgrade-insecure-requests": True})
def trial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("trial")


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
    assert_type(await map_page(request, 3), HttpResponse)
    assert_type(trial(request), HttpResponse)
    assert_type(get_nonce(request), LazyNonce | None)
    await map_page(request, "3")  # type: ignore[arg-type]
    csp_override({"default-src": 1})  # type: ignore[dict-item]
