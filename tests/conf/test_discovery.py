"""Finding the settings module: DJANCO_SETTINGS first, then [tool.djanco] in pyproject.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from djanco.conf import configure, find_settings_module, lazy, settings
from djanco.core.exceptions import ImproperlyConfigured
from tests.conf.modules import ModuleWriter

PYPROJECT = '[project]\nname = "site"\n\n[tool.djanco]\nsettings = "site_pkg.settings"\n'


def test_environment_variable_wins(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    clean_env.setenv("DJANCO_SETTINGS", "from_env.settings")
    assert find_settings_module(tmp_path) == "from_env.settings"


def test_nearest_pyproject_upwards_names_the_module_and_goes_on_sys_path(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    nested = tmp_path / "site_pkg" / "deep"
    nested.mkdir(parents=True)
    clean_env.setattr(sys, "path", list(sys.path))
    assert find_settings_module(nested) == "site_pkg.settings"
    assert sys.path[0] == str(tmp_path)


def test_pyprojects_without_a_djanco_section_are_passed_over(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    inner = tmp_path / "vendored"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    clean_env.setattr(sys, "path", list(sys.path))
    assert find_settings_module(inner) == "site_pkg.settings"


def test_nothing_found_is_none(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert find_settings_module(tmp_path) is None


def test_malformed_pyproject_is_named(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.djanco\n")
    with pytest.raises(ImproperlyConfigured, match=r"Cannot read .*pyproject\.toml: "):
        find_settings_module(tmp_path)


def test_settings_entry_must_be_a_dotted_path(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.djanco]\nsettings = 3\n")
    with pytest.raises(ImproperlyConfigured) as info:
        find_settings_module(tmp_path)
    assert str(info.value).endswith(
        'must be a dotted module path such as "mysite.settings", not 3.'
    )


def test_project_directory_works_without_any_environment(
    clean_env: pytest.MonkeyPatch, modules: ModuleWriter
) -> None:
    """What `djanco check` relies on: run from (a subfolder of) the project, nothing else."""
    modules.write("pyproject.toml", PYPROJECT)
    modules.settings("site_pkg.settings", "DEBUG = True\nROOT_URLCONF = 'site_pkg.urls'\n")
    clean_env.chdir(modules.write("site_pkg/templates/x.html").parent)
    loaded = configure()
    assert loaded.ROOT_URLCONF == "site_pkg.urls"
    assert settings.SETTINGS_MODULE == "site_pkg.settings"


def test_reading_unconfigured_settings_says_how_to_configure(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.chdir(tmp_path)
    lazy._replace(None)
    with pytest.raises(ImproperlyConfigured) as info:
        settings.DEBUG  # noqa: B018
    message = str(info.value)
    assert message.startswith("Settings are not configured: set DJANCO_SETTINGS ")
    assert "[tool.djanco]" in message
    assert str(tmp_path) in message
