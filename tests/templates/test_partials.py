"""Partials: "page.html#block" renders one block of a template, as Django 6.0's partials."""

from __future__ import annotations

import pytest

from djanco.shortcuts import render
from djanco.templates import (
    PartialDoesNotExist,
    TemplateDoesNotExist,
    TemplateResponse,
    arender_to_string,
    get_template,
    render_to_string,
)
from tests.http.factory import make_request, send_response

pytestmark = pytest.mark.usefixtures("project_templates")

ARTICLES = {"title": "News", "articles": ["one", "<two>"]}
ROWS = "<tr><td>one</td></tr><tr><td>&lt;two&gt;</td></tr>"


def test_a_partial_renders_only_its_block() -> None:
    assert render_to_string("articles/list.html#rows", ARTICLES) == ROWS


def test_the_whole_template_still_renders_with_the_block_in_place() -> None:
    page = render_to_string("articles/list.html", ARTICLES)

    assert page.startswith("<main><h1>News</h1>\n<table>" + ROWS + "</table>")


async def test_render_returns_the_partial_for_an_htmx_request() -> None:
    response = render(make_request(), "articles/list.html#rows", ARTICLES)

    sent = await send_response(response)
    assert sent.body.decode() == ROWS
    assert response.template_name == "articles/list.html#rows"


def test_template_response_and_get_template_take_partial_names() -> None:
    response = TemplateResponse(None, "articles/list.html#rows", {"articles": ["a"]})
    template = get_template("articles/list.html#rows")

    assert response.render().content == b"<tr><td>a</td></tr>"
    assert template.name == "articles/list.html#rows"
    assert template.render(articles=["b"]) == "<tr><td>b</td></tr>"


async def test_partials_render_async() -> None:
    assert await arender_to_string("articles/list.html#rows", ARTICLES) == ROWS


def test_a_template_includes_another_templates_partial() -> None:
    assert render_to_string("articles/page.html", ARTICLES) == f"<section>{ROWS}</section>"


def test_super_in_a_partial_renders_the_parents_block() -> None:
    assert render_to_string("articles/list.html#content", ARTICLES).startswith("<h1>News</h1>")
    assert render_to_string("articles/base.html#content") == "base content"


def test_an_unknown_block_is_template_does_not_exist_with_a_suggestion() -> None:
    with pytest.raises(PartialDoesNotExist) as info:
        render_to_string("articles/list.html#row", ARTICLES)

    assert isinstance(info.value, TemplateDoesNotExist)
    assert str(info.value) == (
        "Template 'articles/list.html' has no block 'row'. Did you mean 'rows'?"
    )
    with pytest.raises(PartialDoesNotExist, match=r"Its blocks: 'content', 'rows', 'sidebar'."):
        get_template("articles/list.html#zzz")


def test_a_missing_template_in_a_partial_name_is_reported_as_missing() -> None:
    with pytest.raises(TemplateDoesNotExist, match=r"'articles/nope.html' does not exist"):
        get_template("articles/nope.html#rows")
