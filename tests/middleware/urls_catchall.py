"""A URLconf matching any path ending in a slash (for the open-redirect test)."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import re_path


def anything(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.path)


urlpatterns = [re_path(r"^.*/$", anything)]
