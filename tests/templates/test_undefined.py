"""With DEBUG an undefined variable raises, naming the template and line; configurable."""

from __future__ import annotations

import jinja2
import pytest

from djanco.conf import TemplateOptions, TemplateSettings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.templates import UndefinedVariableError, get_environment, render_to_string
from tests.http.factory import override_settings
from tests.templates.conftest import PROJECT_TEMPLATES


def _templates(undefined: str | None = None) -> TemplateSettings:
    return TemplateSettings(DIRS=[PROJECT_TEMPLATES], OPTIONS=TemplateOptions(undefined=undefined))


def test_with_debug_an_undefined_variable_names_the_template_and_line() -> None:
    with override_settings(DEBUG=True, TEMPLATES=_templates()):
        with pytest.raises(UndefinedVariableError) as info:
            render_to_string("articles/undefined.html", {"title": "T", "article": {}})
        with pytest.raises(UndefinedVariableError, match="'title' is undefined"):
            render_to_string("articles/undefined.html")

    assert str(info.value) == (
        "'dict object' has no attribute 'summary' (in template 'articles/undefined.html', line 3)"
    )
    assert (info.value.template_name, info.value.lineno) == ("articles/undefined.html", 3)
    assert isinstance(info.value, jinja2.UndefinedError)  # code catching Jinja's still works


def test_the_innermost_template_is_named_for_an_include() -> None:
    with override_settings(DEBUG=True, TEMPLATES=_templates()):
        template = get_environment().from_string('{% include "articles/undefined.html" %}')
        with pytest.raises(UndefinedVariableError, match=r"'articles/undefined.html', line 1"):
            template.render()


def test_testing_for_definition_and_default_still_work_with_debug() -> None:
    with override_settings(DEBUG=True, TEMPLATES=_templates()):
        template = get_environment().from_string(
            "{% if missing is defined %}yes{% else %}no{% endif %} {{ missing|default('-') }}"
        )
        assert template.render() == "no -"


def test_without_debug_an_undefined_variable_renders_empty_as_in_django() -> None:
    with override_settings(DEBUG=False, TEMPLATES=_templates()):
        page = render_to_string("articles/undefined.html", {"article": {}})

    assert page == "<h1></h1>\n\n<p></p>"


def test_the_undefined_option_chooses_the_behaviour() -> None:
    with override_settings(DEBUG=True, TEMPLATES=_templates("jinja2.Undefined")):
        assert render_to_string("articles/undefined.html", {"article": {}}) == (
            "<h1></h1>\n\n<p></p>"
        )
    strict = "djanco.templates.StrictUndefined"
    with (
        override_settings(DEBUG=False, TEMPLATES=_templates(strict)),
        pytest.raises(UndefinedVariableError),
    ):
        render_to_string("articles/undefined.html")


def test_an_undefined_option_that_is_not_an_undefined_class_is_refused() -> None:
    with (
        override_settings(TEMPLATES=_templates("djanco.templates.render_to_string")),
        pytest.raises(ImproperlyConfigured, match=r"not a subclass of jinja2\.Undefined"),
    ):
        get_environment()
