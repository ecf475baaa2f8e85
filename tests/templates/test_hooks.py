"""What apps and settings add to every template: globals, filters, context processors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.conf import TemplateOptions, TemplateSettings
from djanco.core.exceptions import Http404, ImproperlyConfigured
from djanco.templates import environment, get_environment, render_to_string
from djanco.views.defaults import page_not_found
from tests.http.factory import make_request, override_settings
from tests.templates.conftest import PROJECT_TEMPLATES, InstallApps

PROCESSORS = ["tests.templates.processors.path_info", "tests.templates.processors.section"]


@pytest.fixture(autouse=True)
def _forget_registered_helpers() -> Iterator[None]:
    saved_globals, saved_filters = dict(environment._globals), dict(environment._filters)
    yield
    environment._globals.clear()
    environment._globals.update(saved_globals)
    environment._filters.clear()
    environment._filters.update(saved_filters)
    environment.reset_environment()


def _templates(*processors: str, dirs: list[Path] | None = None) -> TemplateSettings:
    return TemplateSettings(
        DIRS=dirs or [PROJECT_TEMPLATES],
        OPTIONS=TemplateOptions(context_processors=list(processors)),
    )


def test_an_app_registers_globals_and_filters_from_ready(install_apps: InstallApps) -> None:
    install_apps(["tests.templates.app_hooks"])
    template = get_environment().from_string("{{ site_name }}: {{ 'hi'|shout('?') }}")

    assert template.render() == "Hooks: HI?"


def test_built_in_globals_are_registered_the_same_way() -> None:
    env = get_environment()

    assert env.globals["url"] is environment.url
    assert env.globals["static"] is environment.static


def test_registering_again_replaces_and_rebuilds_the_environment() -> None:
    environment.register_global("greeting", "hello")
    assert get_environment().from_string("{{ greeting }}").render() == "hello"

    environment.register_global("greeting", "bonjour")
    assert get_environment().from_string("{{ greeting }}").render() == "bonjour"


def test_context_processors_add_variables_for_templates_rendered_with_a_request() -> None:
    request = make_request(path="/blog/2024/")
    with override_settings(TEMPLATES=_templates(*PROCESSORS)):
        page = render_to_string("hello.html", {"name": "Ada"}, request=request)
        listed = get_environment().from_string("{{ current_path }} {{ section }}")
        context = environment.make_context({}, request)

    assert page == "Hello Ada!"  # the view's own variable wins over the processor's
    assert listed.render(context) == "/blog/2024/ blog"


def test_context_processors_do_not_run_without_a_request() -> None:
    with override_settings(TEMPLATES=_templates(*PROCESSORS)):
        assert render_to_string("processed.html") == "no processor ran"


def test_a_context_processor_that_is_not_a_function_fails_the_first_render() -> None:
    with (
        override_settings(TEMPLATES=_templates("tests.templates.processors.NOT_A_FUNCTION")),
        pytest.raises(ImproperlyConfigured) as info,
    ):
        render_to_string("hello.html", {"name": "Ada"})  # even without a request

    assert str(info.value) == (
        'TEMPLATES["OPTIONS"]["context_processors"] entry '
        "'tests.templates.processors.NOT_A_FUNCTION' is 5, not a function taking the request."
    )


def test_a_context_processor_that_does_not_import_is_named() -> None:
    with (
        override_settings(TEMPLATES=_templates("tests.templates.processors.missing")),
        pytest.raises(ImproperlyConfigured, match=r"entry 'tests.templates.processors.missing'"),
    ):
        render_to_string("hello.html", {"name": "Ada"})


async def test_the_404_page_sees_the_context_processors(tmp_path: Path) -> None:
    (tmp_path / "404.html").write_text("{{ section }}: {{ exception }}")
    request = make_request(path="/shop/basket/")
    with override_settings(TEMPLATES=_templates(*PROCESSORS, dirs=[tmp_path])):
        response = await page_not_found(request, Http404("no basket"))

    assert (response.status_code, response.content) == (404, b"shop: no basket")
