"""Fixtures for migration tests: a database that really commits, wiped after each test, and
throw-away apps with ``migrations/`` packages written into a temporary directory."""

from __future__ import annotations

import itertools
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper, connections

_counter = itertools.count()


def wipe(wrapper: DatabaseWrapper) -> None:
    """Drop every table of the test database (foreign keys first)."""
    engine = wrapper.sa_engine
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)


@pytest.fixture
def db(db_alias: str) -> Iterator[DatabaseWrapper]:
    """The test database, with real commits; every table is dropped afterwards."""
    wrapper = connections[db_alias]
    wipe(wrapper)
    yield wrapper
    wipe(wrapper)


class Apps:
    """Packages ``<pkg>/<app>/migrations`` in a temporary directory on sys.path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.package = f"migtest{next(_counter)}"
        (root / self.package).mkdir()
        (root / self.package / "__init__.py").write_text("")

    def module(self, app: str) -> str:
        return f"{self.package}.{app}.migrations"

    def modules(self, *apps: str) -> dict[str, str]:
        return {app: self.module(app) for app in apps}

    def directory(self, app: str) -> Path:
        path = self.root / self.package / app / "migrations"
        if not path.exists():
            path.mkdir(parents=True)
            (path.parent / "__init__.py").write_text("")
            (path / "__init__.py").write_text("")
        return path

    def write(self, app: str, name: str, source: str) -> Path:
        path = self.directory(app) / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        return path


@pytest.fixture
def apps_dir(tmp_path: Path) -> Iterator[Apps]:
    sys.path.insert(0, str(tmp_path))
    try:
        yield Apps(tmp_path)
    finally:
        sys.path.remove(str(tmp_path))
