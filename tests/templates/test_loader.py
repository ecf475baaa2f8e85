"""Where templates are found: TEMPLATES DIRS first, then apps in INSTALLED_APPS order."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from djanco.conf import TemplateSettings
from djanco.templates import TemplateDoesNotExist, get_template, render_to_string, template_dirs
from tests.http.factory import override_settings
from tests.templates.conftest import HERE, PROJECT_TEMPLATES, InstallApps


def test_project_dirs_come_before_app_dirs(
    project_templates: Path, install_apps: InstallApps
) -> None:
    install_apps(["tests.templates.app_one", "tests.templates.app_two"])

    assert template_dirs() == [
        PROJECT_TEMPLATES,
        HERE / "app_one" / "templates",
        HERE / "app_two" / "templates",
    ]
    assert render_to_string("override.html") == "override from project"
    assert render_to_string("app_one/only.html") == "only in app_one"


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (["tests.templates.app_one", "tests.templates.app_two"], "shared from app_one"),
        (["tests.templates.app_two", "tests.templates.app_one"], "shared from app_two"),
    ],
)
def test_the_first_installed_app_wins(
    install_apps: InstallApps, installed: list[str], expected: str
) -> None:
    install_apps(installed)

    assert render_to_string("shared.html") == expected


def test_app_dirs_can_be_turned_off(install_apps: InstallApps) -> None:
    install_apps(["tests.templates.app_one"])

    with override_settings(TEMPLATES=TemplateSettings(APP_DIRS=False)):
        assert template_dirs() == []
        with pytest.raises(TemplateDoesNotExist):
            get_template("shared.html")


def test_missing_template_names_it_and_the_directories_searched(
    project_templates: Path, install_apps: InstallApps
) -> None:
    install_apps(["tests.templates.app_one"])

    with pytest.raises(TemplateDoesNotExist) as caught:
        get_template("blog/missing.html")

    message = str(caught.value)
    assert message.startswith("Template 'blog/missing.html' does not exist. Looked in: ")
    assert str(PROJECT_TEMPLATES) in message
    assert str(HERE / "app_one" / "templates") in message
    assert caught.value.tried == [PROJECT_TEMPLATES, HERE / "app_one" / "templates"]
    assert isinstance(caught.value, jinja2.TemplateNotFound)  # Jinja-aware code catches it too


def test_a_misspelt_template_name_suggests_the_closest(install_apps: InstallApps) -> None:
    install_apps(["tests.templates.app_one"])

    with pytest.raises(TemplateDoesNotExist) as caught:
        get_template("app_one/onyl.html")

    assert str(caught.value).startswith(
        "Template 'app_one/onyl.html' does not exist. Did you mean 'app_one/only.html'? Looked in: "
    )


def test_missing_template_without_any_directory_says_how_to_add_one() -> None:
    with pytest.raises(TemplateDoesNotExist, match="No template directories are configured"):
        get_template("home.html")


def test_missing_include_names_the_included_template(project_templates: Path) -> None:
    with pytest.raises(TemplateDoesNotExist, match=r"Template .nowhere/partial\.html. does not"):
        render_to_string("include_missing.html")


def test_none_of_several_templates_lists_them_all(project_templates: Path) -> None:
    expected = r"None of the templates 'a\.html', 'b\.html' exist\. Looked in: "
    with pytest.raises(TemplateDoesNotExist, match=expected):
        render_to_string(["a.html", "b.html"])
