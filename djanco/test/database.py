"""The databases of a test run: made fresh beside each configured one, schema from migrations.

For every alias in ``DATABASES`` a new database is created on the same server: ``test_<name>``
for PostgreSQL and MariaDB/MySQL (``test_<name>_gw<N>`` under pytest-xdist), a temporary file
for SQLite. The aliases point at it for the rest of the run. Its tables come from the
project's migrations, as ``djanco migrate`` would make them; apps without migrations get theirs
straight from the models, as does everything with ``migrate=False`` (pytest
``--no-migrations``: faster, but skips data migrations).
"""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from djanco.db import connections
from djanco.db.backends.base import DatabaseWrapper
from djanco.db.backends.handler import vendor_of
from djanco.db.backends.testing import TestDatabase, create_tables, tables_of, truncate_tables
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.project import installed_models

__all__ = ["TestDatabases", "build_schema", "flush"]


class TestDatabases:
    """Creates the run's test databases (``setup``) and drops them again (``teardown``)."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, migrate: bool = True) -> None:
        self.migrate = migrate
        self._created: list[TestDatabase] = []
        self._previous: dict[str, str] | None = None

    def setup(self) -> None:
        configured = connections.databases
        self._previous = connections._override
        made: dict[str, str] = {}  # configured URL → test URL (aliases may share a database)
        for url in dict.fromkeys(configured.values()):
            database = TestDatabase(url, _test_name(url))
            self._created.append(database)
            made[url] = database.create()
        connections.configure({alias: made[url] for alias, url in configured.items()})
        for alias in dict.fromkeys(configured):
            build_schema(connections[alias], migrate=self.migrate)

    def teardown(self) -> None:
        connections.configure(self._previous)  # closes the test databases' connections
        for database in reversed(self._created):
            database.destroy()
        self._created.clear()


def _test_name(url: str) -> str:
    vendor_of(url)  # a clear ValueError for a URL that is not a database's
    name = (make_url(url).database or "").rsplit("/", 1)[-1].removesuffix(".sqlite3")
    name = f"test_{name}" if name and name != ":memory:" else "test_djanco"
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # pytest-xdist: one database per worker
    return f"{name}_{worker}" if worker else name


def build_schema(wrapper: DatabaseWrapper, *, migrate: bool = True) -> None:
    """Create the installed apps' tables on ``wrapper``: by migrating, or from the models."""
    models = installed_models()
    if not migrate:
        create_tables(wrapper, tables_of(models))
        return
    executor = MigrationExecutor(wrapper)
    unmigrated = executor.loader.unmigrated_apps
    synced = [model for model in models if model._meta.app_label in unmigrated]
    if synced:
        create_tables(wrapper, tables_of(synced))
    executor.migrate(executor.leaf_targets())


def flush(wrapper: DatabaseWrapper) -> None:
    """Delete every row of every installed model's table (after a test that committed)."""
    truncate_tables(wrapper, tables_of(installed_models()))
