"""The issue's end-to-end test, through the ``djanco`` CLI, on every backend: two related models,
makemigrations, migrate, rows, then add a nullable field, rename a field, add an index and widen
a CharField, migrate, roll back to 0001 and forward again — the rows survive every step."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from djanco.db import DatabaseWrapper
from tests.cli.conftest import DJANCO, clean_env, djanco, startproject

MODELS_V1 = """
from djanco.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
"""

MODELS_V2 = """
from djanco.db import models


class Author(models.Model):
    name = models.CharField(max_length=200)
    bio = models.TextField(null=True)


class Book(models.Model):
    headline = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    class Meta:
        indexes = [models.Index(fields=["headline"], name="shop_book_headline_idx")]
"""


def run(project: Path, url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return djanco(*args, cwd=project, env={"DJANCO_DATABASES__DEFAULT": url}, stdin=stdin)


def run_at_terminal(
    project: Path, url: str, answers: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``djanco ARGS`` with a pseudo-terminal as stdin, the answers typed in advance."""
    master, slave = pty.openpty()
    try:
        os.write(master, answers.encode())
        return subprocess.run(
            [str(DJANCO), *args],
            cwd=project,
            env=clean_env({"DJANCO_DATABASES__DEFAULT": url}),
            stdin=slave,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        os.close(slave)
        os.close(master)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = startproject(tmp_path)
    app = project / "shop"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(MODELS_V1)
    settings = project / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
            'INSTALLED_APPS: list[str] = ["shop"]',
        )
    )
    return project


def rows(db: DatabaseWrapper, sql: str) -> list[tuple[object, ...]]:
    return sorted(tuple(r) for r in db.fetchall(sql))


def test_workflow_keeps_rows(project: Path, db: DatabaseWrapper) -> None:
    url = db.settings_url
    out = ok(run(project, url, "makemigrations"))
    assert "0001_initial" in out
    first = (project / "shop" / "migrations" / "0001_initial.py").read_text()
    ok(run(project, url, "migrate"))
    db.execute("INSERT INTO shop_author (id, name) VALUES (1, 'Ann'), (2, 'Bob')")
    db.execute("INSERT INTO shop_book (id, title, author_id) VALUES (1, 'Dune', 1), (2, 'Emma', 2)")

    (project / "shop" / "models.py").write_text(MODELS_V2)
    result = run(project, url, "makemigrations", "--check")
    assert result.returncode == 1
    # Without a terminal the rename cannot be asked: it stops (a non-null field is added).
    result = run(project, url, "makemigrations")
    assert result.returncode == 1 and "non-nullable field 'headline'" in result.stderr
    # At a terminal, answering "y" to the rename question.
    out = ok(run_at_terminal(project, url, "y\n", "makemigrations", "--name", "changes"))
    text = (project / "shop" / "migrations" / "0002_changes.py").read_text()
    assert "RenameField" in text and "RemoveField" not in text, text
    assert "AddIndex" in text and "AlterField" in text and "AddField" in text, text

    plan = ok(run(project, url, "migrate", "--plan"))
    assert "shop.0002_changes" in plan
    ok(run(project, url, "migrate"))
    assert rows(db, "SELECT id, headline, author_id FROM shop_book") == [
        (1, "Dune", 1),
        (2, "Emma", 2),
    ]
    assert rows(db, "SELECT id, name, bio FROM shop_author") == [(1, "Ann", None), (2, "Bob", None)]
    db.execute("UPDATE shop_author SET name = %s WHERE id = 2", ["B" * 150])
    db.execute("UPDATE shop_author SET name = 'Bob' WHERE id = 2")

    ok(run(project, url, "migrate", "shop", "0001"))
    assert rows(db, "SELECT id, title, author_id FROM shop_book") == [
        (1, "Dune", 1),
        (2, "Emma", 2),
    ]
    assert rows(db, "SELECT id, name FROM shop_author") == [(1, "Ann"), (2, "Bob")]
    shown = ok(run(project, url, "showmigrations"))
    assert "[X] 0001_initial" in shown and "[ ] 0002_changes" in shown

    ok(run(project, url, "migrate"))
    assert rows(db, "SELECT id, headline FROM shop_book") == [(1, "Dune"), (2, "Emma")]
    out = ok(run(project, url, "makemigrations", "--check"))
    assert "No changes detected" in out
    sql = ok(run(project, url, "sqlmigrate", "shop", "0001"))
    assert "CREATE TABLE" in sql.upper()

    # Same models → byte-identical file.
    (project / "shop" / "migrations" / "0001_initial.py").rename(project / "first.py")
    (project / "shop" / "models.py").write_text(MODELS_V1)
    for path in (project / "shop" / "migrations").glob("0*.py"):
        path.unlink()
    ok(run(project, url, "makemigrations"))
    assert (project / "shop" / "migrations" / "0001_initial.py").read_text() == first


MODELS_M2M = """
from djanco.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    coauthors = models.ManyToManyField(Author, related_name="cowritten")
    price = models.IntegerField(default=0)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="shop_price_gte_0"),
            models.UniqueConstraint(fields=["title", "author"], name="shop_one_title"),
        ]
"""


def test_check_warns_until_migrations_are_made_and_applied(
    project: Path, db: DatabaseWrapper
) -> None:
    url = db.settings_url
    out = run(project, url, "check")
    assert "migrations.W001" in out.stdout + out.stderr
    ok(run(project, url, "makemigrations"))
    out = run(project, url, "check")
    assert "migrations.W001" not in out.stdout + out.stderr
    assert (
        "migrations.W002" in out.stdout + out.stderr
        and "shop.0001_initial" in out.stdout + out.stderr
    )
    ok(run(project, url, "migrate"))
    out = run(project, url, "check")
    assert "migrations.W00" not in out.stdout + out.stderr, out.stdout + out.stderr

    # A many-to-many field, constraints and Meta options, through the CLI.
    (project / "shop" / "models.py").write_text(MODELS_M2M)
    out = run(project, url, "check")
    assert "migrations.W001" in out.stdout + out.stderr
    ok(run(project, url, "makemigrations", "--name", "m2m"))
    text = (project / "shop" / "migrations" / "0002_m2m.py").read_text()
    assert "ManyToManyField" in text and "AddConstraint" in text and "AlterModelOptions" in text
    ok(run(project, url, "migrate"))
    db.execute("INSERT INTO shop_author (id, name) VALUES (1, 'Ann'), (2, 'Bob')")
    db.execute("INSERT INTO shop_book (id, title, author_id, price) VALUES (1, 'Dune', 1, 3)")
    db.execute("INSERT INTO shop_book_coauthors (book_id, author_id) VALUES (1, 2)")
    with pytest.raises(Exception):  # noqa: B017 - the check constraint holds
        db.execute("INSERT INTO shop_book (id, title, author_id, price) VALUES (2, 'X', 1, -1)")
    assert "No changes detected" in ok(run(project, url, "makemigrations", "--check"))
    ok(run(project, url, "migrate", "shop", "0001"))
    assert rows(db, "SELECT id, title FROM shop_book") == [(1, "Dune")]
    ok(run(project, url, "migrate"))
    assert rows(db, "SELECT book_id, author_id FROM shop_book_coauthors") == []
