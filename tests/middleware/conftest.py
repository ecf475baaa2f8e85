"""Middleware tests run against tests/middleware/urls.py."""

from __future__ import annotations

import pytest

from tests.handlers.support import SetSettings, aclient, set_settings

__all__ = ["aclient", "set_settings"]


@pytest.fixture(autouse=True)
def _urls(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.middleware.urls")
