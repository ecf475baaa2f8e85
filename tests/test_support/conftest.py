"""Every test here runs against the echo/cookie/redirect views of ``tests.test_support.urls``."""

from __future__ import annotations

import pytest

from djanco.conf import Settings


@pytest.fixture(autouse=True)
def _support_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.test_support.urls"
