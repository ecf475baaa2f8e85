"""Fixtures pointing the template environment at this directory's templates and apps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from djanco.apps import apps
from djanco.conf import TemplateSettings
from tests.http.factory import override_settings

HERE = Path(__file__).resolve().parent
PROJECT_TEMPLATES = HERE / "project_templates"

InstallApps = Callable[[Sequence[str]], None]


@pytest.fixture
def install_apps() -> Iterator[InstallApps]:
    """Populate the app registry with the given apps for one test, then restore it."""
    was_ready, previous = apps.ready, list(apps.installed)

    def install(names: Sequence[str]) -> None:
        apps.reset()
        apps.populate(list(names))

    yield install
    apps.reset()
    if was_ready:
        apps.populate(previous)


@pytest.fixture
def project_templates() -> Iterator[Path]:
    """TEMPLATES DIRS = [project_templates/] for one test."""
    with override_settings(TEMPLATES=TemplateSettings(DIRS=[PROJECT_TEMPLATES])):
        yield PROJECT_TEMPLATES
