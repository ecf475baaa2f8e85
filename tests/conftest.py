"""Djanco's own test suite runs against tests/settings.py unless told otherwise."""

import os

import pytest

os.environ.setdefault("DJANCO_SETTINGS", "tests.settings")


@pytest.fixture(autouse=True)
def _djanco_db_access() -> None:
    """Djanco's own tests manage their databases with the fixtures of tests/db/conftest.py, so
    the plugin's guard against unrequested database access is off here (its own tests run a
    generated project: tests/cli/test_db_fixtures.py)."""
