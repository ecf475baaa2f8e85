"""Handler tests run against tests/handlers/urls.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from djanco.conf import settings
from djanco.db import connections
from tests.handlers.support import SetSettings, aclient, set_settings

__all__ = ["aclient", "set_settings"]

UseDatabase = Callable[[str], None]


@pytest.fixture(autouse=True)
def _urls(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.handlers.urls")


@pytest.fixture
def use_database(set_settings: SetSettings) -> Iterator[UseDatabase]:
    """``use_database(url)`` points the "default" alias at ``url`` (in DATABASES too, where the
    debug page finds its password) for this test, whatever the database tests configured."""
    in_force = connections.databases
    overridden = in_force is not settings.DATABASES  # the session's test database, if any

    def use(url: str) -> None:
        set_settings(DATABASES={"default": url})
        connections.configure({"default": url})

    yield use
    connections.configure(dict(in_force) if overridden else None)
