"""DJANCO_<NAME> environment variables override the settings module, parsed by type."""

from __future__ import annotations

from pathlib import Path

import pytest

from djanco.conf import DEV_SECRET_KEY_PREFIX, Settings
from djanco.conf.loading import load_settings
from djanco.core.exceptions import ImproperlyConfigured
from tests.conf.modules import ModuleWriter

MODULE = """\
DEBUG = True
SECRET_KEY = "module-key"
ALLOWED_HOSTS = ["module.example"]
DATABASES = {"default": "sqlite:///module.db", "replica": "sqlite:///replica.db"}
TEMPLATES = {"DIRS": ["/module/templates"], "APP_DIRS": True}
"""


def load_with(modules: ModuleWriter, **environ: str) -> Settings:
    return load_settings(modules.settings("envproj.settings", MODULE), environ=environ)


def error_with(modules: ModuleWriter, **environ: str) -> str:
    with pytest.raises(ImproperlyConfigured) as info:
        load_with(modules, **environ)
    return str(info.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("No", False),
        (" off ", False),
    ],
)
def test_booleans(modules: ModuleWriter, raw: str, expected: bool) -> None:
    assert load_with(modules, DJANCO_USE_TZ=raw).USE_TZ is expected


def test_bad_boolean_names_the_variable(modules: ModuleWriter) -> None:
    assert error_with(modules, DJANCO_DEBUG="maybe") == (
        "Environment variable DJANCO_DEBUG='maybe' is not a boolean; "
        "use true/false, 1/0, yes/no or on/off."
    )


def test_integers(modules: ModuleWriter) -> None:
    assert load_with(modules, DJANCO_SECURE_HSTS_SECONDS="3600").SECURE_HSTS_SECONDS == 3600
    assert error_with(modules, DJANCO_SECURE_HSTS_SECONDS="an hour") == (
        "Environment variable DJANCO_SECURE_HSTS_SECONDS='an hour' is not an integer."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com,localhost", ["example.com", "localhost"]),
        (" example.com , localhost, ", ["example.com", "localhost"]),
        ('["example.com", "localhost"]', ["example.com", "localhost"]),
        ("", []),
    ],
)
def test_lists_comma_separated_or_json(
    modules: ModuleWriter, raw: str, expected: list[str]
) -> None:
    assert expected == load_with(modules, DJANCO_ALLOWED_HOSTS=raw).ALLOWED_HOSTS


def test_malformed_json_list_names_the_variable(modules: ModuleWriter) -> None:
    assert error_with(modules, DJANCO_ALLOWED_HOSTS='["a",').startswith(
        "Environment variable DJANCO_ALLOWED_HOSTS is not a JSON array: "
    )


def test_tuple_setting_from_a_comma_separated_pair(modules: ModuleWriter) -> None:
    settings = load_with(modules, DJANCO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_whole_mapping_from_json(modules: ModuleWriter) -> None:
    settings = load_with(modules, DJANCO_DATABASES='{"default": "postgresql://db/app"}')
    assert settings.DATABASES == {"default": "postgresql://db/app"}
    assert error_with(modules, DJANCO_DATABASES="postgresql://db/app").startswith(
        "Environment variable DJANCO_DATABASES is not a JSON object: "
    )
    assert error_with(modules, DJANCO_DATABASES='["x"]') == (
        "Environment variable DJANCO_DATABASES must be a JSON object, not '[\"x\"]'."
    )


def test_one_key_of_a_mapping_keeps_the_others(modules: ModuleWriter) -> None:
    settings = load_with(modules, DJANCO_DATABASES__DEFAULT="postgresql://db/app")
    assert settings.DATABASES == {
        "default": "postgresql://db/app",
        "replica": "sqlite:///replica.db",
    }


def test_key_override_lands_on_top_of_a_whole_value_override(modules: ModuleWriter) -> None:
    settings = load_with(
        modules,
        DJANCO_DATABASES__OTHER="mysql://db/other",
        DJANCO_DATABASES='{"default": "postgresql://db/app"}',
    )
    assert settings.DATABASES == {"default": "postgresql://db/app", "other": "mysql://db/other"}


def test_template_fields(modules: ModuleWriter) -> None:
    settings = load_with(
        modules, DJANCO_TEMPLATES__DIRS="/a,/b", DJANCO_TEMPLATES__APP_DIRS="false"
    )
    assert [Path("/a"), Path("/b")] == settings.TEMPLATES.DIRS
    assert settings.TEMPLATES.APP_DIRS is False


def test_unknown_template_field_is_an_error_with_a_suggestion(modules: ModuleWriter) -> None:
    assert error_with(modules, DJANCO_TEMPLATES__DIR="/a") == (
        "Environment variable DJANCO_TEMPLATES__DIR: TEMPLATES has no key 'DIR'. "
        "Did you mean 'DIRS'?"
    )


def test_key_of_a_non_mapping_setting_is_an_error(modules: ModuleWriter) -> None:
    assert error_with(modules, DJANCO_DEBUG__X="1") == (
        "Environment variable DJANCO_DEBUG__X: DEBUG is not a mapping, so it takes no '__X' "
        "part; set DJANCO_DEBUG instead."
    )


def test_empty_value_clears_an_optional_setting(modules: ModuleWriter) -> None:
    assert load_with(modules, DJANCO_SECURE_REFERRER_POLICY="").SECURE_REFERRER_POLICY is None
    assert load_with(modules, DJANCO_ROOT_URLCONF="app.urls").ROOT_URLCONF == "app.urls"


def test_dict_of_objects_takes_json_values(modules: ModuleWriter) -> None:
    settings = load_with(modules, DJANCO_LOGGING__VERSION="1", DJANCO_LOGGING__ROOT="plain")
    assert settings.LOGGING == {"version": 1, "root": "plain"}


def test_validation_errors_blame_the_variable_not_the_module(modules: ModuleWriter) -> None:
    assert error_with(modules, DJANCO_TIME_ZONE="Mars/Base") == (
        "Invalid setting TIME_ZONE from environment variable DJANCO_TIME_ZONE: "
        "unknown time zone 'Mars/Base'."
    )
    assert error_with(modules, DJANCO_DATABASES__DEFAULT="", DJANCO_STATIC_URL="x") == (
        "Invalid setting STATIC_URL from environment variable DJANCO_STATIC_URL: "
        "'x' must end with a slash."
    )


def test_reserved_names_are_skipped_silently(
    modules: ModuleWriter, recwarn: pytest.WarningsRecorder
) -> None:
    load_with(
        modules,
        DJANCO_SETTINGS="other.settings",
        DJANCO_TEST_DATABASES="x",
        DJANCO_ALLOW_ASYNC_UNSAFE="1",
    )
    assert [str(w.message) for w in recwarn] == []


def test_unknown_variable_warns_with_the_closest_name(modules: ModuleWriter) -> None:
    with pytest.warns(UserWarning) as record:
        settings = load_with(modules, DJANCO_DEGUB="false")
    assert [str(w.message) for w in record] == [
        "Ignoring environment variable DJANCO_DEGUB: there is no setting 'DEGUB'. "
        "Did you mean DJANCO_DEBUG?"
    ]
    assert settings.DEBUG is True


def test_debug_off_from_the_environment_refuses_the_development_key(
    modules: ModuleWriter,
) -> None:
    message = error_with(
        modules, DJANCO_DEBUG="false", DJANCO_SECRET_KEY=DEV_SECRET_KEY_PREFIX + "x"
    )
    assert "SECRET_KEY is the development key" in message
    settings = load_with(modules, DJANCO_DEBUG="false", DJANCO_SECRET_KEY="real-production-key")
    assert (settings.DEBUG, settings.SECRET_KEY) == (False, "real-production-key")
