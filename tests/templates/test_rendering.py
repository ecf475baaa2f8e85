"""Rendering: autoescaping, globals, the request in the context, sync vs async entry points."""

from __future__ import annotations

from pathlib import Path

import pytest

from djanco.conf import settings
from djanco.templates import (
    SynchronousOnlyOperation,
    arender_to_string,
    get_environment,
    render_to_string,
)
from djanco.urls import resolve
from tests.http.factory import make_request, override_settings

pytestmark = pytest.mark.usefixtures("project_templates")


def test_html_is_autoescaped_unless_marked_safe() -> None:
    html = render_to_string(
        "escape.html", {"value": "<script>alert('x')</script>", "trusted": "<b>ok</b>"}
    )

    assert html == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p><p><b>ok</b></p>"


def test_every_template_is_autoescaped_by_default() -> None:
    assert render_to_string("page.txt", {"value": "a < b"}) == "Text: a &lt; b"
    assert get_environment().from_string("{{ v }}").render(v="<i>") == "&lt;i&gt;"


def test_environment_is_async_and_shared() -> None:
    env = get_environment()

    assert env.is_async
    assert get_environment() is env


def test_request_is_in_the_context_when_given() -> None:
    request = make_request(path="/hello/")

    assert render_to_string("request.html", {"name": "x"}, request=request) == (
        "path=/hello/ name=x"
    )


def test_url_global_reverses() -> None:
    with override_settings(ROOT_URLCONF="tests.templates.urls"):
        html = render_to_string("links.html")

    assert html == '<a href="/articles/7/">/archive/2024/</a> /'


def test_url_global_takes_a_url_parameter_called_name() -> None:
    template = get_environment().from_string('{{ url("hello", name="Ada") }}')
    with override_settings(ROOT_URLCONF="tests.templates.urls"):
        assert template.render() == "/hello/Ada/"


def test_url_global_reverses_within_the_namespace_being_served() -> None:
    # Django's {% url %} passes request.resolver_match.namespace as current_app.
    template = get_environment().from_string('{{ url("shop:index") }}')
    with override_settings(ROOT_URLCONF="tests.templates.urls"):
        outlet = make_request(path="/outlet/")
        outlet.resolver_match = resolve("/outlet/")
        shop = make_request(path="/shop/")
        shop.resolver_match = resolve("/shop/")

        assert template.render(request=outlet) == "/outlet/"
        assert template.render(request=shop) == "/shop/"
        assert template.render() == "/shop/"  # no request: the default instance


def test_static_global_joins_static_url() -> None:
    assert render_to_string("assets.html") == (
        '<link href="/static/css/site.css"> /static/img/a%20b.png'
    )
    with override_settings(STATIC_URL="https://cdn.example.com/assets/"):
        assert render_to_string("assets.html").startswith(
            '<link href="https://cdn.example.com/assets/css/site.css">'
        )


async def test_arender_to_string_renders_in_the_loop() -> None:
    assert await arender_to_string("hello.html", {"name": "Ada"}) == "Hello Ada!"


async def test_render_to_string_inside_an_event_loop_says_what_to_use() -> None:
    with pytest.raises(SynchronousOnlyOperation, match=r"await arender_to_string\(\.\.\.\)"):
        render_to_string("hello.html", {"name": "Ada"})


def test_a_list_of_names_renders_the_first_that_exists() -> None:
    assert render_to_string(["missing.html", "hello.html"], {"name": "B"}) == "Hello B!"


def test_changing_template_dirs_rebuilds_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "hello.html").write_text("Other {{ name }}")
    before = get_environment()
    render_to_string("hello.html", {"name": "x"})  # cached in the old environment

    monkeypatch.setattr(settings.TEMPLATES, "DIRS", [tmp_path])

    assert get_environment() is not before
    assert render_to_string("hello.html", {"name": "x"}) == "Other x"
