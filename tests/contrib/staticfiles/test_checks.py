"""``djanco check`` with the static files app: Django's staticfiles ids for the settings, and
every literal static("path") in the templates against the finders."""

from __future__ import annotations

from pathlib import Path

import pytest

from djanco.conf import TemplateSettings
from djanco.core.checks import CheckMessage, Error, Warning, run_checks
from tests.contrib.staticfiles.conftest import HERE, PROJECT_STATIC, Project
from tests.http.factory import override_settings


def staticfiles_messages() -> list[CheckMessage]:
    return run_checks(tags=["staticfiles"])


def test_a_sound_project_passes(project: Project) -> None:
    with override_settings(TEMPLATES=TemplateSettings(DIRS=[])):
        assert staticfiles_messages() == []


def test_a_static_call_naming_no_file_is_an_error_with_a_suggestion(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(HERE)
    [message] = staticfiles_messages()

    assert message == Error(
        "static('app_one/ap.js'): no static file 'app_one/ap.js' was found. "
        "Did you mean 'app_one/app.js'?",
        hint=f"Looked in: {PROJECT_STATIC}, {HERE / 'downloads'}, {HERE / 'app_one' / 'static'}, "
        f"{HERE / 'app_two' / 'static'}. Static files live in an app's static/ folder or a "
        "STATICFILES_DIRS directory.",
        obj="templates/page.html:2",
        id="staticfiles.E101",
    )
    assert message in run_checks(tags=["templates"])


def test_static_root_inside_staticfiles_dirs(project: Project) -> None:
    with override_settings(STATIC_ROOT=PROJECT_STATIC / "collected"):
        ids = [message.id for message in staticfiles_messages()]

    assert "staticfiles.E002" in ids


def test_staticfiles_dirs_mistakes(project: Project, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with override_settings(
        STATICFILES_DIRS=[("downloads/", PROJECT_STATIC), missing, Path("relative/static")],
        TEMPLATES=TemplateSettings(DIRS=[]),
    ):
        messages = staticfiles_messages()

    assert messages == [
        Error(
            "The prefix 'downloads/' in the STATICFILES_DIRS setting must not end with a slash.",
            id="staticfiles.E003",
        ),
        Warning(
            f"The directory '{missing}' in the STATICFILES_DIRS setting does not exist.",
            id="staticfiles.W004",
        ),
        Warning(
            "The directory 'relative/static' in the STATICFILES_DIRS setting does not exist.",
            id="staticfiles.W004",
        ),
        Warning(
            "STATICFILES_DIRS entry 'relative/static' is a relative path, so where it points "
            "depends on the directory the command or server is started from.",
            hint="Build it from BASE_DIR, e.g. BASE_DIR / 'static'.",
            id="staticfiles.W102",
        ),
    ]


@pytest.mark.parametrize(
    ("settings", "expected_id"),
    [
        ({"STORAGES": {}}, "staticfiles.E005"),
        ({"STORAGES": {"staticfiles": {"BACKEND": "nowhere.Storage"}}}, "staticfiles.E104"),
        ({"STATIC_ROOT": Path("collected")}, "staticfiles.W102"),
        ({"MEDIA_URL": "/static/"}, "staticfiles.E103"),
    ],
)
def test_settings_mistakes(project: Project, settings: dict[str, object], expected_id: str) -> None:
    with override_settings(TEMPLATES=TemplateSettings(DIRS=[]), **settings):
        assert [message.id for message in staticfiles_messages()] == [expected_id]


def test_static_and_media_root_must_differ(project: Project) -> None:
    with override_settings(TEMPLATES=TemplateSettings(DIRS=[]), MEDIA_ROOT=project.static_root):
        [message] = staticfiles_messages()

    assert message.msg == "The STATIC_ROOT and MEDIA_ROOT settings must have different values."
    assert message.id == "staticfiles.E103"


def test_without_the_app_its_checks_say_nothing(project: Project) -> None:
    with override_settings(INSTALLED_APPS=[], STORAGES={}):
        assert staticfiles_messages() == []
