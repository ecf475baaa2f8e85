"""A project for the static files tests: the app installed with two apps holding static
files, STATICFILES_DIRS (one prefixed) and an empty STATIC_ROOT."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from djanco.conf import TemplateSettings
from djanco.templates import environment, register_global
from tests.cli.conftest import fresh_project, start_server  # noqa: F401  # shared fixtures
from tests.http.factory import override_settings

HERE = Path(__file__).resolve().parent
PROJECT_STATIC = HERE / "project_static"
DOWNLOADS = HERE / "downloads"
APPS = [
    "djanco.contrib.staticfiles",
    "tests.contrib.staticfiles.app_one",
    "tests.contrib.staticfiles.app_two",
]
MANIFEST_STORAGE = {
    "staticfiles": {"BACKEND": "djanco.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
}


@dataclass(frozen=True)
class Project:
    static_root: Path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    static_root = tmp_path / "collected"
    with override_settings(
        INSTALLED_APPS=APPS,
        STATICFILES_DIRS=[PROJECT_STATIC, ("downloads", DOWNLOADS)],
        STATIC_ROOT=static_root,
        TEMPLATES=TemplateSettings(DIRS=[HERE / "templates"]),
        ROOT_URLCONF="tests.templates.urls",
    ):
        yield Project(static_root)
    # The app's ready() replaced the static() global; the built-in one comes back.
    register_global("static", environment.static)
