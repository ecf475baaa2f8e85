"""The DATABASES system checks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from djanco.conf import settings
from djanco.db.backends.checks import check_databases


@pytest.fixture
def databases() -> Iterator[None]:
    original = settings.DATABASES
    yield
    settings.DATABASES = original


def ids(messages: Sequence[object]) -> list[str]:
    return [str(getattr(m, "id", "")) for m in messages]


def test_valid_databases_pass(databases: None) -> None:
    settings.DATABASES = {
        "default": "sqlite:///:memory:",
        "pg": "postgresql://u@localhost/db?pool_size=5",
        "my": "mysql://root@localhost/db",
    }
    assert check_databases(None) == []


def test_problems_are_reported(databases: None) -> None:
    settings.DATABASES = {
        "main": "oracle://scott@tiger/db",
        "other": "sqlite:///:memory:?pool_size=0",
    }
    messages = check_databases(None)
    assert ids(messages) == ["database.E003", "database.E001", "database.E004"]
    assert "Unsupported database URL 'oracle://scott@tiger/db'" in str(messages[1])
    assert "pool_size='0' must be a positive int" in str(messages[2])
