"""A URLconf whose error handlers are wrong: one takes too few arguments, one is missing."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse


def handler404(request: HttpRequest) -> HttpResponse:  # should also take the exception
    return HttpResponse("nope", status=404)


handler500 = "tests.checks.urls_bad_handlers.does_not_exist"

urlpatterns: list[object] = []
