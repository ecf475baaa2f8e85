"""The lazy ``settings`` object: loading on first use, replacing, assigning, listeners."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest

from djanco.conf import (
    Settings,
    UnknownSettingError,
    configure,
    is_configured,
    lazy,
    on_setting_changed,
    settings,
    signals,
)
from djanco.core.exceptions import ImproperlyConfigured
from tests.conf.modules import ModuleWriter


@pytest.fixture
def changes() -> Iterator[list[str]]:
    """Setting names reported to a listener during the test, which starts unconfigured."""
    lazy._replace(None)  # so the test's first configure() is a first load, whatever ran before
    seen: list[str] = []
    on_setting_changed(seen.append)
    yield seen
    signals._listeners.remove(seen.append)


@pytest.fixture
def two_modules(modules: ModuleWriter) -> tuple[str, str]:
    first = modules.settings("lazyproj.first", "DEBUG = True\nROOT_URLCONF = 'a.urls'\n")
    second = modules.settings("lazyproj.second", "DEBUG = True\nROOT_URLCONF = 'b.urls'\n")
    return first, second


def test_first_read_loads_from_djanco_settings(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str]
) -> None:
    lazy._replace(None)
    clean_env.setenv("DJANCO_SETTINGS", two_modules[0])
    assert not is_configured()
    assert repr(settings) == "<LazySettings: not configured>"
    assert settings.ROOT_URLCONF == "a.urls"
    assert is_configured()
    assert repr(settings) == "<LazySettings: lazyproj.first>"


def test_configure_replaces_what_reads_return(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str]
) -> None:
    first, second = two_modules
    assert configure(first).ROOT_URLCONF == settings.ROOT_URLCONF == "a.urls"
    configure(second)
    assert settings.ROOT_URLCONF == "b.urls"


def test_configure_reports_only_settings_that_changed(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str], changes: list[str]
) -> None:
    configure(two_modules[0])
    changes.clear()
    configure(two_modules[1])
    assert changes == ["ROOT_URLCONF"]


def test_a_failed_configure_keeps_the_previous_settings(
    clean_env: pytest.MonkeyPatch, modules: ModuleWriter, two_modules: tuple[str, str]
) -> None:
    configure(two_modules[0])
    broken = modules.settings("lazyproj.broken", "DEBGU = True\n")
    with pytest.raises(ImproperlyConfigured, match="Did you mean 'DEBUG'"):
        configure(broken)
    assert settings.ROOT_URLCONF == "a.urls"


def test_assignment_reaches_the_live_object_and_the_listeners(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str], changes: list[str]
) -> None:
    live = configure(two_modules[0])
    assert settings.ALLOWED_HOSTS == []  # now cached on the proxy
    settings.ALLOWED_HOSTS = ["example.com"]
    assert live.ALLOWED_HOSTS == ["example.com"]
    live.ROOT_URLCONF = "c.urls"
    assert settings.ROOT_URLCONF == "c.urls"
    assert changes == ["ALLOWED_HOSTS", "ROOT_URLCONF"]


def test_nested_template_assignment_is_reported_as_templates(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str], changes: list[str]
) -> None:
    configure(two_modules[0])
    settings.TEMPLATES.DIRS = [Path("/x")]
    assert [Path("/x")] == settings.TEMPLATES.DIRS
    assert changes == ["TEMPLATES"]


def test_assignment_is_validated(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str], changes: list[str]
) -> None:
    configure(two_modules[0])
    with pytest.raises(pydantic.ValidationError, match="DEBUG"):
        settings.DEBUG = "maybe"  # type: ignore[assignment]
    assert settings.DEBUG is True
    assert changes == []


def test_mistyped_names_are_caught_on_read_and_write(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str]
) -> None:
    configure(two_modules[0])
    with pytest.raises(AttributeError, match=r"^Unknown setting 'DEGUB'\. Did you mean 'DEBUG'\?$"):
        settings.DEGUB  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match=r"^Unknown setting 'DEGUB'\. Did you mean 'DEBUG'\?$"):
        settings.DEGUB = True  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match=r"^Unknown setting 'DEGUB'\."):
        Settings().DEGUB = True  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match=r"^Unknown TEMPLATES key 'DIR'\. Did you mean 'DIRS'"):
        settings.TEMPLATES.DIR = []  # type: ignore[attr-defined]


def test_secrets_stay_out_of_repr() -> None:
    text = repr(Settings(SECRET_KEY="s3cret", DATABASES={"default": "postgresql://u:pw@h/db"}))
    assert "s3cret" not in text
    assert "pw@" not in text
    assert "DEBUG=False" in text


def test_probing_private_names_does_not_load_settings(clean_env: pytest.MonkeyPatch) -> None:
    lazy._replace(None)
    assert getattr(settings, "_pytestfixturefunction", None) is None
    assert not is_configured()


def test_settings_module_reading_settings_while_loading_is_an_error(
    clean_env: pytest.MonkeyPatch, modules: ModuleWriter
) -> None:
    name = modules.settings(
        "lazyproj.circular",
        "from djanco.conf import settings\nDEBUG = not settings.DEBUG\n",
    )
    lazy._replace(None)
    with pytest.raises(ImproperlyConfigured, match=r"uses djanco\.conf\.settings while it is"):
        configure(name)


def test_listeners_registered_twice_are_called_once(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str], changes: list[str]
) -> None:
    on_setting_changed(changes.append)
    configure(two_modules[0]).USE_TZ = False
    assert changes == ["USE_TZ"]


def test_a_traceback_suggests_the_setting_once(
    clean_env: pytest.MonkeyPatch, two_modules: tuple[str, str]
) -> None:
    configure(two_modules[0])
    with pytest.raises(UnknownSettingError) as caught:
        settings.DEGUB  # type: ignore[attr-defined]  # noqa: B018
    assert traceback.format_exception_only(caught.value) == [
        "djanco.conf.UnknownSettingError: Unknown setting 'DEGUB'. Did you mean 'DEBUG'?\n"
    ]
