"""Loading a settings module: defaults, validation, typos and the production key guard."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from djanco.conf import DEV_SECRET_KEY_PREFIX, Settings, TemplateSettings
from djanco.conf.loading import load_settings
from djanco.core.exceptions import ImproperlyConfigured
from tests.conf.modules import ModuleWriter

VALID = 'DEBUG = True\nSECRET_KEY = "x"\n'


def load(modules: ModuleWriter, body: str, name: str = "proj.settings") -> Settings:
    return load_settings(modules.settings(name, body), environ={})


def error_of(modules: ModuleWriter, body: str, name: str = "proj.settings") -> str:
    with pytest.raises(ImproperlyConfigured) as info:
        load(modules, body, name)
    return str(info.value)


def test_values_are_validated_and_converted(modules: ModuleWriter) -> None:
    settings = load(
        modules,
        """
        from pathlib import Path
        DEBUG = True
        ALLOWED_HOSTS = ["example.com"]
        STATIC_ROOT = "/srv/static"
        TEMPLATES = {"DIRS": ["/srv/templates"]}
        SECURE_PROXY_SSL_HEADER = ["HTTP_X_FORWARDED_PROTO", "https"]
        _PRIVATE = "ignored"
        lower_case = "ignored"
        """,
    )
    assert settings.ALLOWED_HOSTS == ["example.com"]
    assert Path("/srv/static") == settings.STATIC_ROOT
    assert TemplateSettings(DIRS=[Path("/srv/templates")], APP_DIRS=True) == settings.TEMPLATES
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SETTINGS_MODULE == "proj.settings"


def test_unset_settings_get_djangos_defaults(modules: ModuleWriter) -> None:
    settings = load(modules, VALID)
    assert settings.ALLOWED_HOSTS == []
    assert settings.APPEND_SLASH is True
    assert settings.STATIC_URL == "/static/"
    assert settings.TIME_ZONE == "UTC"
    assert settings.USE_TZ is True
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert settings.TEMPLATES.APP_DIRS is True


def test_mistyped_setting_names_it_the_module_and_the_closest_name(
    modules: ModuleWriter,
) -> None:
    message = error_of(modules, "DEBGU = True\n", name="mysite.settings")
    assert message == "Unknown setting 'DEBGU' in mysite.settings. Did you mean 'DEBUG'?"


def test_every_unknown_setting_is_reported_and_far_names_get_no_guess(
    modules: ModuleWriter,
) -> None:
    message = error_of(modules, "ALLOWED_HOST = []\nFROBNICATE = 1\n")
    assert message.splitlines() == [
        "Unknown setting 'ALLOWED_HOST' in proj.settings. Did you mean 'ALLOWED_HOSTS'?",
        "Unknown setting 'FROBNICATE' in proj.settings.",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'ALLOWED_HOSTS = "example.com"',
            "Invalid setting ALLOWED_HOSTS in proj.settings: Input should be a valid list "
            "(got 'example.com').",
        ),
        (
            'TIME_ZONE = "Mars/Olympus_Mons"',
            "Invalid setting TIME_ZONE in proj.settings: unknown time zone 'Mars/Olympus_Mons'.",
        ),
        (
            'STATIC_URL = "/static"',
            "Invalid setting STATIC_URL in proj.settings: '/static' must end with a slash.",
        ),
        (
            "SECURE_HSTS_SECONDS = -1",
            "Invalid setting SECURE_HSTS_SECONDS in proj.settings: Input should be greater than "
            "or equal to 0 (got -1).",
        ),
        (
            'DEFAULT_CHARSET = "utf-9"',
            "Invalid setting DEFAULT_CHARSET in proj.settings: unknown encoding 'utf-9'.",
        ),
        (
            'DATABASES = {"default": 5}',
            "Invalid setting DATABASES['default'] in proj.settings: Input should be a valid "
            "string.",
        ),
        (
            'INSTALLED_APPS = ["blog", 5]',
            "Invalid setting INSTALLED_APPS in proj.settings: entry 1 (5) must be a dotted path "
            "or an AppConfig subclass.",
        ),
        (
            'TEMPLATES = {"DIR": []}',
            "Unknown key 'DIR' in setting TEMPLATES in proj.settings. Did you mean 'DIRS'?",
        ),
        (
            'TEMPLATES = {"OPTIONS": {"context_processor": []}}',
            "Unknown key 'context_processor' in setting TEMPLATES['OPTIONS'] in proj.settings. "
            "Did you mean 'context_processors'?",
        ),
    ],
)
def test_invalid_values_name_the_setting_and_the_problem(
    modules: ModuleWriter, body: str, expected: str
) -> None:
    assert error_of(modules, VALID + body + "\n") == expected


def test_errors_do_not_echo_secrets_and_shorten_long_values(modules: ModuleWriter) -> None:
    assert error_of(modules, "DEBUG = True\nSECRET_KEY = 12345\n") == (
        "Invalid setting SECRET_KEY in proj.settings: Input should be a valid string."
    )
    message = error_of(modules, VALID + "MIDDLEWARE = 'x' * 500\n", name="proj.long")
    assert message.endswith("...).")
    assert len(message) < 200


def test_djangos_list_of_template_backends_gets_a_hint(modules: ModuleWriter) -> None:
    message = error_of(modules, VALID + 'TEMPLATES = [{"DIRS": []}]\n')
    assert message.startswith("Invalid setting TEMPLATES in proj.settings: Djanco takes one ")
    assert "not Django's list of template backends" in message


def test_all_invalid_values_are_reported_together(modules: ModuleWriter) -> None:
    message = error_of(modules, VALID + 'DEBUG = "maybe"\nUSE_TZ = "perhaps"\n')
    assert [line.split(" in ")[0] for line in message.splitlines()] == [
        "Invalid setting DEBUG",
        "Invalid setting USE_TZ",
    ]


def test_missing_settings_module_is_named(modules: ModuleWriter) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        load_settings("nowhere_to_be_found.settings", environ={})
    assert str(info.value).startswith(
        "Settings module 'nowhere_to_be_found.settings' could not be imported: "
        "No module named 'nowhere_to_be_found'."
    )


def test_project_package_in_the_working_directory_is_found(
    modules: ModuleWriter, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A console script does not have the cwd on sys.path; `python -m` users expect it."""
    project = tmp_path_factory.mktemp("project")
    (project / "cwdsite").mkdir()
    (project / "cwdsite" / "__init__.py").write_text("")
    (project / "cwdsite" / "settings.py").write_text(VALID)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".")])
    monkeypatch.chdir(project)
    try:
        assert load_settings("cwdsite.settings", environ={}).DEBUG is True
    finally:
        sys.modules.pop("cwdsite.settings", None)
        sys.modules.pop("cwdsite", None)


def test_import_errors_inside_the_settings_module_are_not_masked(modules: ModuleWriter) -> None:
    modules.settings("proj.settings", "import not_installed_package\n")
    with pytest.raises(ModuleNotFoundError, match="not_installed_package"):
        load_settings("proj.settings", environ={})


@pytest.mark.parametrize(
    ("key", "problem"),
    [("", "SECRET_KEY is empty"), (DEV_SECRET_KEY_PREFIX + "abc", "the development key")],
)
def test_production_refuses_a_missing_or_development_key(
    modules: ModuleWriter, key: str, problem: str
) -> None:
    message = error_of(modules, f"DEBUG = False\nSECRET_KEY = {key!r}\n")
    assert problem in message
    assert "DEBUG is False" in message
    assert "DJANCO_SECRET_KEY" in message


def test_development_key_is_fine_with_debug_on(modules: ModuleWriter) -> None:
    settings = load(modules, f"DEBUG = True\nSECRET_KEY = '{DEV_SECRET_KEY_PREFIX}abc'\n")
    assert settings.DEBUG is True


def test_real_key_with_debug_off_loads(modules: ModuleWriter) -> None:
    settings = load(modules, "SECRET_KEY = 'a-long-random-production-secret'\n")
    assert settings.DEBUG is False
