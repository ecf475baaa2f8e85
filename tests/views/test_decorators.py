"""require_http_methods and friends on sync and async function views."""

from __future__ import annotations

import inspect

from djanco.http import HttpRequest, HttpResponse
from djanco.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from tests.http.factory import make_request


@require_http_methods(["get", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one thing."""
    return HttpResponse(f"edit {pk}")


@require_POST
async def submit(request: HttpRequest) -> HttpResponse:
    return HttpResponse("submitted")


def test_listed_methods_reach_the_view() -> None:
    assert edit(make_request("GET"), pk=1).content == b"edit 1"
    assert edit(make_request("POST"), 2).content == b"edit 2"


def test_other_methods_get_405_with_allow() -> None:
    response = edit(make_request("DELETE"), pk=1)

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


def test_the_view_keeps_its_name_and_docstring() -> None:
    assert edit.__name__ == "edit"
    assert edit.__doc__ == "Edit one thing."


async def test_async_views_stay_async() -> None:
    assert inspect.iscoroutinefunction(submit)

    allowed = await submit(make_request("POST"))
    refused = await submit(make_request("GET"))

    assert allowed.content == b"submitted"
    assert refused.status_code == 405
    assert refused["Allow"] == "POST"


def test_require_get_and_require_safe() -> None:
    @require_GET
    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse("page")

    @require_safe
    def safe_page(request: HttpRequest) -> HttpResponse:
        return HttpResponse("safe")

    assert page(make_request("GET")).status_code == 200
    assert page(make_request("HEAD")).status_code == 405
    assert safe_page(make_request("HEAD")).status_code == 200
    assert safe_page(make_request("POST"))["Allow"] == "GET, HEAD"
