"""Locating the user's project and loading its settings and apps for a command."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import djanco
from djanco.conf import settings
from djanco.conf.discovery import SETTINGS_ENV, find_pyproject_settings


@dataclass(frozen=True)
class Project:
    """A loaded project: where it lives and which settings module it runs with."""

    directory: Path
    settings_module: str


def project_directory() -> Path:
    """The nearest directory upwards with ``[tool.djanco]`` in pyproject.toml, else the cwd."""
    found = find_pyproject_settings()
    return Path.cwd() if found is None else found[1]


def has_project() -> bool:
    """Whether settings can be found at all (``--settings``/env or a pyproject.toml)."""
    return bool(os.environ.get(SETTINGS_ENV, "").strip()) or find_pyproject_settings() is not None


def load_project() -> Project:
    """Put the project on ``sys.path``, load settings and populate apps (``djanco.setup()``).

    Raises ImproperlyConfigured with Djanco's own message when no settings can be found.
    """
    directory = project_directory()
    # Console scripts do not have the working directory on sys.path, but a user naming
    # ``--settings mysite.settings`` expects ./mysite to import, as with manage.py.
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    djanco.setup()
    module = settings.SETTINGS_MODULE
    if module is None:  # configured programmatically, not from a module
        raise RuntimeError("djanco.setup() loaded settings without a settings module")
    # Child processes (reloader, workers, pytest) must load the very same settings.
    os.environ[SETTINGS_ENV] = module
    return Project(directory=directory, settings_module=module)
