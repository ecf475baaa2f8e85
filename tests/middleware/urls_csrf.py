"""Views for the CSRF tests: form pages, views taking POSTs, exempt and decorated views."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.middleware.base import Middleware
from djanco.middleware.csrf import get_token, rotate_token
from djanco.shortcuts import render
from djanco.urls import path
from djanco.views.decorators.csrf import (
    csrf_exempt,
    csrf_protect,
    ensure_csrf_cookie,
    requires_csrf_token,
)
from tests.http.session_and_user import DictSession

SESSIONS: dict[str, DictSession] = {}


class CookieSessions(Middleware):
    """Sessions kept in memory under a ``sid`` cookie, as the sessions app will keep them."""

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.cookies.get("sid") or f"s{len(SESSIONS)}"
        request.session = SESSIONS.setdefault(key, DictSession())
        response = await self.get_response(request)
        response.set_cookie("sid", key)
        return response


def form(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/form.html")


async def aform(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/form.html")


def token_page(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/token.html")


def plain(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/plain.html")


def take(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"took {request.method} {request.POST.get('choice', '')}")


async def atake(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"took {request.method} {request.POST.get('choice', '')}")


@csrf_exempt
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


@csrf_exempt
async def aexempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


def log_in(request: HttpRequest) -> HttpResponse:
    rotate_token(request)
    return HttpResponse("logged in")


def token_value(request: HttpRequest) -> HttpResponse:
    return HttpResponse(get_token(request))


@csrf_protect
def protected(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/form.html")


@csrf_protect
async def aprotected(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/form.html")


@ensure_csrf_cookie
def ensured(request: HttpRequest) -> HttpResponse:
    return HttpResponse("cookie, no token on the page")


@requires_csrf_token
def required(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf/form.html")


def custom_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(f"custom: {reason}", status=403)


async def acustom_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(f"async custom: {reason}", status=403)


urlpatterns = [
    path("form/", form),
    path("aform/", aform),
    path("token/", token_page),
    path("plain/", plain),
    path("take/", take),
    path("atake/", atake),
    path("exempt/", exempt),
    path("aexempt/", aexempt),
    path("log-in/", log_in),
    path("token-value/", token_value),
    path("protected/", protected),
    path("aprotected/", aprotected),
    path("ensured/", ensured),
    path("required/", required),
]
