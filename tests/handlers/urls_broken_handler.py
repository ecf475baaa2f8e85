"""A URLconf whose handler404 itself fails: the user must still get a page (a 500)."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import path


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    raise RuntimeError("the 404 handler is broken")


def handler500(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the 500 handler is broken too")


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


urlpatterns = [path("", home)]
