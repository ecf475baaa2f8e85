"""Djanco's own test suite runs against tests/settings.py unless told otherwise."""

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANCO_SETTINGS", "tests.settings")


@pytest.fixture(autouse=True)
def _djanco_db_access() -> None:
    """Djanco's own tests manage their databases with the fixtures of tests/db/conftest.py, so
    the plugin's guard against unrequested database access is off here (its own tests run a
    generated project: tests/cli/test_db_fixtures.py)."""


@pytest.fixture(scope="session")
def shared_redis_url() -> Iterator[str]:
    """A database of the machine's Redis (127.0.0.1:6379) that this run alone uses, emptied
    afterwards; the test skips when there is no Redis."""
    from tests.core.cache.support import claimed_redis_database

    with claimed_redis_database() as url:
        yield url
