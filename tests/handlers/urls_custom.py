"""A URLconf overriding every error handler (two as dotted paths, as Django allows)."""

from __future__ import annotations

from djanco.core.exceptions import BadRequest, PermissionDenied
from djanco.http import Http404, HttpRequest, HttpResponse
from djanco.urls import path


async def custom_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 404 for {request.path}: {exception}", status=404)


def custom_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 403: {exception}", status=403)


async def custom_400(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse("custom 400", status=400)


def custom_500(request: HttpRequest) -> HttpResponse:
    return HttpResponse("custom 500", status=500)


def raise_404(request: HttpRequest) -> HttpResponse:
    raise Http404("nothing here")


def raise_403(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("no entry")


def raise_400(request: HttpRequest) -> HttpResponse:
    raise BadRequest("bad")


def raise_500(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("oops")


handler404 = custom_404
handler403 = "tests.handlers.urls_custom.custom_403"
handler400 = custom_400
handler500 = "tests.handlers.urls_custom.custom_500"

urlpatterns = [
    path("404/", raise_404),
    path("403/", raise_403),
    path("400/", raise_400),
    path("500/", raise_500),
]
