"""``djanco check`` reads every template: syntax, and each literal url() against the URLconf."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.conf import TemplateSettings
from djanco.core.checks import Error, run_checks
from djanco.templates.checks import check_templates
from tests.http.factory import override_settings
from tests.templates.conftest import InstallApps


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project template directory, the current directory, with the URLs of
    tests/templates/urls.py."""
    directory = tmp_path / "templates"
    directory.mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(
        TEMPLATES=TemplateSettings(DIRS=[directory]), ROOT_URLCONF="tests.templates.urls"
    ):
        yield directory


def write(directory: Path, name: str, source: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def test_valid_templates_pass(templates: Path) -> None:
    write(templates, "base.html", "{% block x %}{% endblock %}")
    write(
        templates,
        "blog/page.html",
        '{% extends "base.html" %}{% block x %}{{ url("article", 7) }} {{ url("home") }}'
        '{{ url("archive", year=y) }} {{ url("shop:index") }} {{ url(name) }}'
        '{{ url("article", *args) }}{% endblock %}',
    )

    assert check_templates(None) == []


def test_a_syntax_error_names_file_and_line(templates: Path) -> None:
    write(templates, "blog/list.html", "<ul>\n{% for a in articles %}\n<li>\n{% endif %}\n")
    write(templates, "filters.html", "\n\n{{ value|no_such_filter }}")

    assert check_templates(None) == [  # a directory's files before its subdirectories
        Error(
            "Template syntax error: No filter named 'no_such_filter'.",
            hint="The page using this template fails to render until it is fixed.",
            obj="templates/filters.html:3",
            id="templates.E101",
        ),
        Error(
            "Template syntax error: Encountered unknown tag 'endif'. Jinja was looking for the "
            "following tags: 'endfor' or 'else'. The innermost block that needs to be closed "
            "is 'for'.",
            hint="The page using this template fails to render until it is fixed.",
            obj="templates/blog/list.html:4",
            id="templates.E101",
        ),
    ]


def test_an_unknown_url_name_is_reported_with_a_suggestion(templates: Path) -> None:
    write(templates, "nav.html", '<a href="{{ url("home") }}">\n{{ url("articel", 3) }}</a>')

    assert check_templates(None) == [
        Error(
            "url('articel', …): Reverse for 'articel' not found. 'articel' is not a valid view "
            "function or pattern name. Did you mean 'article'?",
            obj="templates/nav.html:2",
            id="templates.E102",
        )
    ]


def test_an_unknown_namespace_is_reported(templates: Path) -> None:
    write(templates, "nav.html", '{{ url("shp:index") }}')

    [message] = check_templates(None)
    assert message.id == "templates.E102"
    assert message.msg == (
        "url('shp:index'): 'shp' is not a registered namespace. Did you mean 'shop'?"
    )


def test_wrong_arguments_say_what_the_url_takes(templates: Path) -> None:
    write(
        templates,
        "links.html",
        '{{ url("article", slug=s) }}\n{{ url("article") }}\n{{ url("home", 1) }}\n'
        '{{ url("article", 1, 2) }}\n{{ url("archive", 2024, year=2024) }}',
    )

    messages = check_templates(None)
    assert [(m.obj, m.msg) for m in messages] == [
        (
            "templates/links.html:1",
            "url('article', slug=…) fits no URL named 'article': 'articles/<int:pk>/' takes pk.",
        ),
        (
            "templates/links.html:2",
            "url('article') fits no URL named 'article': 'articles/<int:pk>/' takes pk.",
        ),
        (
            "templates/links.html:3",
            "url('home', …) fits no URL named 'home': '' takes no arguments.",
        ),
        (
            "templates/links.html:4",
            "url('article', …, …) fits no URL named 'article': 'articles/<int:pk>/' takes pk.",
        ),
        (
            "templates/links.html:5",
            "url('archive', …, year=…) mixes positional and keyword arguments, which reverse() "
            "refuses.",
        ),
    ]
    assert {m.id for m in messages} == {"templates.E103"}


def test_app_templates_are_checked_too(templates: Path, install_apps: InstallApps) -> None:
    install_apps(["tests.templates.app_broken"])

    [message] = run_checks(tags=["templates"])
    assert message.id == "templates.E101"
    assert str(message.obj).endswith("tests/templates/app_broken/templates/app_broken/bad.html:2")


def test_url_checks_wait_for_a_urlconf_that_loads(templates: Path) -> None:
    write(templates, "nav.html", '{{ url("nowhere") }}')

    with override_settings(ROOT_URLCONF="tests.templates.no_such_urls"):
        assert check_templates(None) == []


def test_a_file_that_is_not_text_is_skipped(templates: Path) -> None:
    (templates / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")

    assert check_templates(None) == []


def test_extends_include_and_import_of_a_missing_template(templates: Path) -> None:
    write(templates, "base.html", "{% block content %}{% endblock %}")
    write(templates, "parts.html", "{% block rows %}{% endblock %}{% macro m() %}{% endmacro %}")
    write(
        templates,
        "page.html",
        '{% extends "bse.html" %}\n'
        '{% block content %}{% include "parts.html#rows" %}{% include "nav.html" %}\n'
        '{% include "maybe.html" ignore missing %}{% include name %}\n'
        '{% import "macros.html" as m %}{% from "parts.html#rowz" import m %}{% endblock %}',
    )

    messages = check_templates(None)
    assert [(m.obj, m.id) for m in messages] == [
        ("templates/page.html:1", "templates.E104"),
        ("templates/page.html:2", "templates.E104"),
        ("templates/page.html:4", "templates.E104"),
        ("templates/page.html:4", "templates.E104"),
    ]
    assert messages[0].msg == (
        f"{{% extends 'bse.html' %}}: Template 'bse.html' does not exist. "
        f"Did you mean 'base.html'? Looked in: {templates}."
    )
    assert messages[1].msg.startswith("{% include 'nav.html' %}: Template 'nav.html' does not")
    assert messages[2].msg.startswith("{% import 'macros.html' %}: Template 'macros.html'")
    assert messages[3].msg == (
        "{% from 'parts.html#rowz' %}: Template 'parts.html' has no block 'rowz'. "
        "Did you mean 'rows'?"
    )
