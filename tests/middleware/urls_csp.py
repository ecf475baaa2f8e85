"""Views for the Content Security Policy tests."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.shortcuts import render
from djanco.urls import path
from djanco.utils.csp import CSP
from djanco.views.decorators.csp import csp_override, csp_report_only_override


def script(request: HttpRequest) -> HttpResponse:
    return render(request, "csp/script.html")


def maybe(request: HttpRequest) -> HttpResponse:
    return render(request, "csp/maybe.html")


async def own_header(request: HttpRequest) -> HttpResponse:
    return HttpResponse("mine", headers={"Content-Security-Policy": "default-src 'none'"})


@csp_override({"default-src": [CSP.SELF], "frame-src": ["https://maps.example"]})
def framed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("map")


@csp_override({})
async def unprotected(request: HttpRequest) -> HttpResponse:
    return HttpResponse("no policy")


@csp_report_only_override({"script-src": [CSP.SELF, CSP.NONCE]})
async def trial(request: HttpRequest) -> HttpResponse:
    return render(request, "csp/script.html")


urlpatterns = [
    path("script/", script),
    path("maybe/", maybe),
    path("own-header/", own_header),
    path("framed/", framed),
    path("unprotected/", unprotected),
    path("trial/", trial),
]
