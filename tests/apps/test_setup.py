"""djanco.setup(): settings, logging and apps, once, as a standalone script needs them."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

import djanco
from djanco.apps import apps
from djanco.conf import lazy, settings
from djanco.core.exceptions import ImproperlyConfigured
from tests.apps.test_registry import EVENTS, recording_app
from tests.conf.modules import ModuleWriter

SETTINGS = """\
DEBUG = True
INSTALLED_APPS = ["alpha"]
"""


@pytest.fixture(autouse=True)
def _fresh(modules: ModuleWriter) -> Iterator[None]:
    EVENTS.clear()
    lazy._replace(None)
    apps.reset()
    recording_app(modules, "alpha")
    recording_app(modules, "beta", models=False)
    yield
    logging.getLogger("setup_test").setLevel(logging.NOTSET)


def test_setup_loads_settings_and_apps_once(modules: ModuleWriter) -> None:
    djanco.setup(modules.settings("setupproj.settings", SETTINGS))
    djanco.setup(modules.settings("setupproj.settings", SETTINGS))
    djanco.setup()
    assert settings.INSTALLED_APPS == ["alpha"]
    assert [config.label for config in apps.get_app_configs()] == ["alpha"]
    assert EVENTS == ["models alpha", "ready alpha"]


def test_setup_without_arguments_finds_the_settings(
    modules: ModuleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANCO_SETTINGS", modules.settings("setupproj.settings", SETTINGS))
    djanco.setup()
    assert apps.is_installed("alpha")


def test_setup_with_another_module_switches_to_it(modules: ModuleWriter) -> None:
    djanco.setup(modules.settings("setupproj.settings", SETTINGS))
    other = modules.settings("setupproj.other", "DEBUG = True\nINSTALLED_APPS = ['beta']\n")
    djanco.setup(other)
    assert settings.SETTINGS_MODULE == "setupproj.other"
    assert [config.label for config in apps.get_app_configs()] == ["beta"]


def test_changing_installed_apps_reloads_the_registry(modules: ModuleWriter) -> None:
    djanco.setup(modules.settings("setupproj.settings", SETTINGS))
    settings.INSTALLED_APPS = ["alpha", "beta"]
    assert [config.label for config in apps.get_app_configs()] == ["alpha", "beta"]
    assert EVENTS == ["models alpha", "ready alpha", "ready alpha", "ready beta"]


def test_logging_setting_is_applied(modules: ModuleWriter) -> None:
    djanco.setup(
        modules.settings(
            "setupproj.settings",
            SETTINGS + "LOGGING = {'version': 1, 'disable_existing_loggers': False,"
            " 'loggers': {'setup_test': {'level': 'WARNING'}}}\n",
        )
    )
    assert logging.getLogger("setup_test").level == logging.WARNING


def test_bad_logging_setting_is_reported(modules: ModuleWriter) -> None:
    name = modules.settings("setupproj.settings", SETTINGS + "LOGGING = {'handlers': {}}\n")
    with pytest.raises(ImproperlyConfigured, match=r"^Invalid LOGGING setting: "):
        djanco.setup(name)
    assert not apps.ready


def test_standalone_script_from_the_project_directory(modules: ModuleWriter) -> None:
    """`python script.py` in a project: pyproject.toml names the settings, nothing else."""
    modules.write("site/pyproject.toml", '[tool.djanco]\nsettings = "mysite.settings"\n')
    modules.write("site/mysite/settings.py", "DEBUG = True\nINSTALLED_APPS = ['mysite']\n")
    script = modules.write(
        "site/scripts/report.py",
        """
        import djanco
        from djanco.apps import apps
        from djanco.conf import settings

        djanco.setup()
        print(settings.SETTINGS_MODULE, [c.label for c in apps.get_app_configs()])
        """,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANCO_")}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=script.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout == "mysite.settings ['mysite']\n"
