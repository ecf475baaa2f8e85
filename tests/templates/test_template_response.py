"""TemplateResponse: found at once, rendered late (by the handler), safe to read in sync code."""

from __future__ import annotations

import pytest

from djanco.http import HttpResponse, HttpResponseBase
from djanco.templates import ContentNotRenderedError, TemplateDoesNotExist, TemplateResponse
from tests.http.factory import make_request, send_response

pytestmark = pytest.mark.usefixtures("project_templates")


def test_a_missing_template_fails_when_the_response_is_made() -> None:
    with pytest.raises(TemplateDoesNotExist, match=r"'nope\.html'"):
        TemplateResponse(make_request(), "nope.html")


async def test_the_handler_renders_it_with_render_async() -> None:
    request = make_request(path="/p/")
    response = TemplateResponse(request, "request.html", {"name": "Ada"}, status=201)

    assert not response.is_rendered
    assert await response.render_async() is response
    assert response.is_rendered
    assert response.content == b"path=/p/ name=Ada"
    assert response["Content-Length"] == "17"
    assert response.status_code == 201


async def test_reading_content_unrendered_inside_the_loop_says_what_to_do() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "x"})

    with pytest.raises(ContentNotRenderedError, match=r"await response\.render_async\(\)"):
        _ = response.content


def test_reading_content_without_a_running_loop_renders_it() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "sync"})

    assert response.content == b"Hello sync!"
    assert response.is_rendered


async def test_context_and_template_can_change_until_rendered() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "before"})
    response.context_data["name"] = "after"

    assert (await response.render_async()).text == "Hello after!"

    other = TemplateResponse(make_request(path="/o/"), "hello.html", {"name": "x"})
    other.template_name = "request.html"
    assert (await other.render_async()).text == "path=/o/ name=x"


async def test_rendering_twice_keeps_the_first_result() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "one"})
    await response.render_async()
    response.context_data["name"] = "two"

    assert (await response.render_async()).content == b"Hello one!"


async def test_setting_content_marks_it_rendered() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "x"})
    response.content = b"replaced"

    assert response.is_rendered
    assert response.content == b"replaced"


async def test_sending_an_unrendered_response_renders_it_first() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "wire"})

    sent = await send_response(response)

    assert sent.body == b"Hello wire!"
    assert sent.header("content-length") == "11"
    assert sent.header("content-type") == "text/html; charset=utf-8"


async def test_post_render_callbacks_run_after_rendering() -> None:
    response = TemplateResponse(None, "hello.html", {"name": "x"})
    seen: list[bytes] = []

    def remember(rendered: HttpResponseBase) -> None:
        assert isinstance(rendered, HttpResponse)
        seen.append(rendered.content)

    response.add_post_render_callback(remember)
    assert seen == []
    await response.render_async()
    assert seen == [b"Hello x!"]
