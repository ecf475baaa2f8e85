"""render() and redirect()."""

from __future__ import annotations

import pytest

from djanco.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from djanco.shortcuts import redirect, render, resolve_url
from djanco.templates import TemplateDoesNotExist, TemplateResponse
from djanco.urls import NoReverseMatch, reverse_lazy
from tests.http.factory import make_request, send_response
from tests.views.urls import detail


@pytest.mark.usefixtures("view_templates")
async def test_render_in_an_async_view_is_rendered_by_the_handler() -> None:
    response = render(make_request(), "hello.html", {"name": "Ada"}, status=202)

    assert isinstance(response, TemplateResponse)
    assert not response.is_rendered
    await response.render_async()  # what the ASGI handler does after the view returns
    assert response.content == b"Hello Ada"
    assert response.status_code == 202


@pytest.mark.usefixtures("view_templates")
def test_render_in_a_sync_view() -> None:
    response = render(make_request(), "hello.html", {"name": "B"}, content_type="text/plain")

    assert response.content == b"Hello B"
    assert response["Content-Type"] == "text/plain"


@pytest.mark.usefixtures("view_templates")
async def test_rendered_response_goes_over_the_wire() -> None:
    sent = await send_response(render(make_request(), "hello.html", {"name": "C"}))

    assert sent.body == b"Hello C"


@pytest.mark.usefixtures("view_templates")
def test_render_fails_at_once_for_a_missing_template() -> None:
    with pytest.raises(TemplateDoesNotExist, match=r"'missing\.html' does not exist"):
        render(make_request(), "missing.html")


class Thing:
    def get_absolute_url(self) -> str:
        return "/things/1/"


@pytest.mark.usefixtures("view_urls")
def test_redirect_to_names_views_objects_and_urls() -> None:
    assert redirect("detail", pk=5).url == "/items/5/"
    assert redirect("detail", 6).url == "/items/6/"
    assert redirect(detail, pk=7).url == "/items/7/"
    assert redirect(Thing()).url == "/things/1/"
    assert redirect(reverse_lazy("home")).url == "/"
    assert redirect("/plain/url/").url == "/plain/url/"
    assert redirect("https://example.com").url == "https://example.com"
    assert redirect("../up/").url == "../up/"


@pytest.mark.usefixtures("view_urls")
def test_redirect_permanent() -> None:
    assert isinstance(redirect("home"), HttpResponseRedirect)
    response = redirect("home", permanent=True)

    assert isinstance(response, HttpResponsePermanentRedirect)
    assert response.status_code == 301


@pytest.mark.usefixtures("view_urls")
def test_redirect_to_a_mistyped_name_is_an_error_not_a_url() -> None:
    with pytest.raises(NoReverseMatch, match="detial"):
        redirect("detial", pk=1)
    assert resolve_url("detail.html") == "detail.html"  # has a dot: taken as a URL
