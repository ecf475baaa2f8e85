"""A URLconf with one ambiguous name and one name legitimately reused with other arguments."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import path


def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("a/<int:pk>/", view, name="detail"),
    path("b/<int:pk>/", view, name="detail"),
    path("archive/", view, name="archive"),
    path("archive/<int:year>/", view, name="archive"),
]
