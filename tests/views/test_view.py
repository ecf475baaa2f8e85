"""The class-based View: dispatch on method, 405 with Allow, OPTIONS, sync vs async views."""

from __future__ import annotations

import inspect
import logging
import subprocess
import sys

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.views import View
from tests.http.factory import make_request


class Article(View):
    greeting = "hi"

    def get(self, request: HttpRequest, pk: int = 0) -> HttpResponse:
        return HttpResponse(f"{self.greeting} {pk} {self.kwargs} {self.request is request}")

    def post(self, request: HttpRequest, pk: int = 0) -> HttpResponse:
        return HttpResponse("posted", status=201)


class AsyncArticle(View):
    async def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("async get")


def call(view: object, method: str, **kwargs: object) -> HttpResponseBase:
    assert callable(view)
    response = view(make_request(method), **kwargs)
    assert isinstance(response, HttpResponseBase)
    return response


def test_dispatches_to_the_handler_for_the_method() -> None:
    view = Article.as_view()

    response = call(view, "GET", pk=3)
    assert isinstance(response, HttpResponse)
    assert response.content == b"hi 3 {'pk': 3} True"
    assert call(view, "POST").status_code == 201


def test_an_unhandled_method_is_405_with_allow(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="djanco.request"):
        response = call(Article.as_view(), "DELETE")

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert "Method Not Allowed (DELETE): /" in caplog.text


def test_an_unknown_method_is_405() -> None:
    assert call(Article.as_view(), "PROPFIND").status_code == 405


def test_head_is_answered_by_get() -> None:
    response = call(Article.as_view(), "HEAD")

    assert isinstance(response, HttpResponse)
    assert response.content.startswith(b"hi")


def test_options_lists_the_allowed_methods() -> None:
    response = call(Article.as_view(), "OPTIONS")

    assert response.status_code == 200
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_as_view_keyword_arguments_become_attributes() -> None:
    view = Article.as_view(greeting="hello")

    response = call(view, "GET")
    assert isinstance(response, HttpResponse)
    assert response.content.startswith(b"hello 0")
    assert view.view_class is Article
    assert view.view_initkwargs == {"greeting": "hello"}
    assert call(Article.as_view(), "GET").status_code == 200  # the class is unchanged


def test_as_view_refuses_unknown_keywords() -> None:
    with pytest.raises(TypeError, match=r"Article\(\) received an invalid keyword 'colour'"):
        Article.as_view(colour="red")
    with pytest.raises(TypeError, match="The method name get is not accepted"):
        Article.as_view(get=None)


def test_a_sync_view_class_gives_a_sync_view() -> None:
    view = Article.as_view()

    assert not Article.view_is_async
    assert not inspect.iscoroutinefunction(view)


async def test_an_async_view_class_gives_an_async_view() -> None:
    view = AsyncArticle.as_view()

    assert AsyncArticle.view_is_async
    assert inspect.iscoroutinefunction(view)
    response = await view(make_request("GET"))
    assert isinstance(response, HttpResponse)
    assert response.content == b"async get"


async def test_async_view_405_and_options_are_awaitable() -> None:
    view = AsyncArticle.as_view()
    assert inspect.iscoroutinefunction(view)

    not_allowed = await view(make_request("POST"))
    options = await view(make_request("OPTIONS"))

    assert not_allowed.status_code == 405
    assert not_allowed["Allow"] == "GET, HEAD, OPTIONS"
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_mixing_sync_and_async_handlers_is_an_error() -> None:
    class Mixed(View):
        async def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        def post(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(
        ImproperlyConfigured,
        match=r"must either be all sync or all async \(async: get; sync: post\)",
    ):
        Mixed.as_view()


def test_importing_djanco_views_stays_cheap() -> None:
    # The handler's debug pages live in djanco.views: importing the package must not load
    # the template engine or the generic views.
    code = (
        "import sys, djanco.views; "
        "print('jinja2' in sys.modules, 'djanco.views.generic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["False", "False"]
