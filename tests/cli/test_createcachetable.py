"""``djanco createcachetable`` in a scaffolded project whose CACHES has a database cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import assert_one_line_error
from tests.cli.conftest import djanco as run

DATABASE_CACHE = """
CACHES = {
    "default": {"BACKEND": "djanco.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "djanco.db.cache.DatabaseCache", "LOCATION": "page_cache"},
}
"""


def _tables(project: Path) -> list[str]:
    with sqlite3.connect(project / "db.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def test_createcachetable_creates_each_database_caches_table_once(fresh_project: Path) -> None:
    settings = fresh_project / "mysite" / "settings.py"
    settings.write_text(settings.read_text() + DATABASE_CACHE)

    dry = run("createcachetable", "--dry-run", cwd=fresh_project)
    assert dry.returncode == 0, dry.stderr
    assert "CREATE TABLE page_cache" in dry.stdout
    assert "page_cache" not in _tables(fresh_project)

    first = run("createcachetable", cwd=fresh_project)
    assert first.returncode == 0, first.stderr
    assert "Created cache table 'page_cache'." in first.stdout
    assert "page_cache" in _tables(fresh_project)

    again = run("createcachetable", cwd=fresh_project)
    assert "Cache table 'page_cache' already exists." in again.stdout

    named = run("createcachetable", "other_cache", cwd=fresh_project)
    assert named.returncode == 0, named.stderr
    assert "other_cache" in _tables(fresh_project)


def test_createcachetable_without_a_database_cache_does_nothing(mysite: Path) -> None:
    result = run("createcachetable", cwd=mysite)

    assert result.returncode == 0
    assert "No database cache in CACHES" in result.stdout


def test_createcachetable_names_an_unknown_database(mysite: Path) -> None:
    result = run("createcachetable", "t", "--database", "nope", cwd=mysite)

    assert_one_line_error(result, "Unknown database 'nope'")
