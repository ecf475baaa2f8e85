"""Finding the settings module: DJANCO_SETTINGS, else ``[tool.djanco]`` in pyproject.toml."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from djanco.core.exceptions import ImproperlyConfigured

SETTINGS_ENV = "DJANCO_SETTINGS"


def find_settings_module(start: Path | None = None) -> str | None:
    """Return the dotted path of the project's settings module, or None if there is none.

    ``DJANCO_SETTINGS`` wins; otherwise the nearest ``pyproject.toml`` at or above ``start``
    (default: the working directory) with ``[tool.djanco] settings = "x.y"`` names it, and
    that file's directory is put on ``sys.path`` so the module imports.
    """
    from_env = os.environ.get(SETTINGS_ENV, "").strip()
    if from_env:
        return from_env
    found = find_pyproject_settings(start)
    if found is None:
        return None
    module, project_dir = found
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    return module


def find_pyproject_settings(start: Path | None = None) -> tuple[str, Path] | None:
    """Return (settings module, project directory) from the nearest pyproject.toml that names it."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        module = _read_setting(directory / "pyproject.toml")
        if module is not None:
            return module, directory
    return None


def _read_setting(pyproject: Path) -> str | None:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"Cannot read {pyproject}: {exc}") from exc
    tool = data.get("tool")
    section = tool.get("djanco") if isinstance(tool, dict) else None
    if not isinstance(section, dict) or "settings" not in section:
        return None
    module = section["settings"]
    if not isinstance(module, str) or not module.strip():
        raise ImproperlyConfigured(
            f"[tool.djanco] settings in {pyproject} must be a dotted module path such as "
            f'"mysite.settings", not {module!r}.'
        )
    return module.strip()
