"""``djanco squashmigrations`` and ``djanco migrate``'s output, through the CLI."""

from __future__ import annotations

from pathlib import Path

from djanco.db import DatabaseWrapper
from tests.cli.conftest import assert_one_line_error
from tests.db.migrations.test_workflow import MODELS_V1, ok, project, run

__all__ = ["project"]  # the fixture

WITH_BIO = MODELS_V1.replace(
    "name = models.CharField(max_length=50)",
    "name = models.CharField(max_length=50)\n    bio = models.TextField(null=True)",
)
WITH_YEAR = WITH_BIO.replace(
    "title = models.CharField(max_length=100)",
    "title = models.CharField(max_length=100)\n    year = models.IntegerField(null=True)",
)


def test_squashmigrations_through_the_cli(project: Path, db: DatabaseWrapper) -> None:
    url = db.settings_url
    migrations = project / "shop" / "migrations"
    ok(run(project, url, "makemigrations"))
    (project / "shop" / "models.py").write_text(WITH_BIO)
    ok(run(project, url, "makemigrations", "--name", "bio"))
    out = ok(run(project, url, "migrate"))
    assert "Operations to perform:\n  Apply all migrations: shop\nRunning migrations:\n" in out
    assert "  Applying shop.0001_initial... OK\n  Applying shop.0002_bio... OK\n" in out

    out = ok(run(project, url, "squashmigrations", "shop", "0002", "--noinput"))
    assert "Optimised from 3 operations to 2 operations." in out
    assert "Created new squashed migration" in out
    assert (migrations / "0001_squashed_0002_bio.py").exists()
    shown = ok(run(project, url, "showmigrations", "shop"))
    assert "[-] 0001_squashed_0002_bio (2 squashed migrations) Run 'djanco migrate'" in shown
    assert "0001_initial" not in shown
    assert "No migrations to apply." in ok(run(project, url, "migrate"))
    shown = ok(run(project, url, "showmigrations", "shop"))
    assert "[X] 0001_squashed_0002_bio (2 squashed migrations)\n" in shown, shown
    assert "No changes detected" in ok(run(project, url, "makemigrations", "--check"))

    (project / "shop" / "models.py").write_text(WITH_YEAR)
    assert "0003_book_year" in ok(run(project, url, "makemigrations"))
    assert "Applying shop.0003_book_year... OK" in ok(run(project, url, "migrate"))
    out = ok(run(project, url, "migrate", "shop", "0002_bio"))
    assert "Target specific migration: 0002_bio, from shop" in out
    assert "Unapplying shop.0003_book_year... OK" in out

    named = run(project, url, "squashmigrations", "shop", "0003", "0003", "--squashed-name", "x")
    assert "0003_x.py" in ok(named)
    assert "Applying shop.0003_x... OK" in ok(run(project, url, "migrate"))
    assert_one_line_error(
        run(project, url, "squashmigrations", "shop", "0001_squashed", "--noinput"),
        "cannot be squashed again",
    )
    assert_one_line_error(run(project, url, "migrate", "shop", "0009"), "Known: zero, 0001_")
