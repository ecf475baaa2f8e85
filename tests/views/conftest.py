"""Fixtures: templates under templates_dir/ and the URLconf in tests/views/urls.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.conf import TemplateSettings
from tests.http.factory import override_settings

TEMPLATES = Path(__file__).resolve().parent / "templates_dir"


@pytest.fixture
def view_templates() -> Iterator[Path]:
    with override_settings(TEMPLATES=TemplateSettings(DIRS=[TEMPLATES])):
        yield TEMPLATES


@pytest.fixture
def view_urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF="tests.views.urls"):
        yield
