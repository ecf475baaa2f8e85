"""TemplateView and RedirectView."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.http import HttpResponseBase, HttpResponseRedirectBase
from djanco.templates import TemplateResponse
from djanco.urls import NoReverseMatch
from djanco.views.generic import RedirectView, TemplateView
from tests.http.factory import make_request


def call(view: object, method: str = "GET", query: str = "", **kwargs: object) -> HttpResponseBase:
    assert callable(view)
    response = view(make_request(method, query=query), **kwargs)
    assert isinstance(response, HttpResponseBase)
    return response


def test_template_view_renders_with_url_kwargs_and_extra_context(view_templates: Path) -> None:
    view = TemplateView.as_view(template_name="about.html", extra_context={"greeting": "Hi"})

    response = call(view, pk=4)

    assert isinstance(response, TemplateResponse)
    assert response.template_name == ["about.html"]
    assert response.context_data["pk"] == 4
    assert response.content == b"Hi, pk=4, view=TemplateView"


def test_template_view_subclass_adds_context(view_templates: Path) -> None:
    class Hello(TemplateView):
        template_name = "hello.html"

        def get_context_data(self, **kwargs: object) -> dict[str, object]:
            return {**super().get_context_data(**kwargs), "name": "Ada"}

    response = call(Hello.as_view())

    assert isinstance(response, TemplateResponse)
    assert response.content == b"Hello Ada"


def test_template_view_without_a_template_name_says_so() -> None:
    with pytest.raises(
        ImproperlyConfigured, match="requires either a definition of 'template_name'"
    ):
        call(TemplateView.as_view())


def test_template_view_answers_only_get_head_options(view_templates: Path) -> None:
    response = call(TemplateView.as_view(template_name="hello.html"), "POST")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def redirect_to(response: HttpResponseBase) -> tuple[int, str]:
    assert isinstance(response, HttpResponseRedirectBase)
    return response.status_code, response.url


def test_redirect_view_to_a_url_with_kwargs() -> None:
    view = RedirectView.as_view(url="/new/%(pk)s/")

    assert redirect_to(call(view, pk=7)) == (302, "/new/7/")
    assert redirect_to(call(view, "POST", pk=7)) == (302, "/new/7/")


def test_redirect_view_permanent_and_query_string() -> None:
    view = RedirectView.as_view(url="/new/", permanent=True, query_string=True)

    assert redirect_to(call(view, query="a=1&b=2")) == (301, "/new/?a=1&b=2")
    assert redirect_to(call(RedirectView.as_view(url="/new/"), query="a=1")) == (302, "/new/")


@pytest.mark.usefixtures("view_urls")
def test_redirect_view_to_a_pattern_name() -> None:
    view = RedirectView.as_view(pattern_name="detail")

    assert redirect_to(call(view, pk=3)) == (302, "/items/3/")
    with pytest.raises(NoReverseMatch):
        call(RedirectView.as_view(pattern_name="nope"))


def test_redirect_view_without_a_target_is_gone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="djanco.request"):
        response = call(RedirectView.as_view())

    assert response.status_code == 410
    assert "Gone: /" in caplog.text
