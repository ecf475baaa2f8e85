"""A URLconf whose path() routes were written as regexes (Django's 2_0.W001)."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import include, path, re_path


def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("^about/$", view),
    path("blog/", include([path("(?P<pk>[0-9]+)/", view)])),
    re_path(r"^fine/$", view),  # a regex where one belongs
]
