"""Applying and rolling back migrations, with rows present, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from djanco.db import DatabaseWrapper
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from tests.db.migrations.conftest import Apps

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Author",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("title", models.CharField(max_length=100)),
                ("author", models.ForeignKey("shop.Author", on_delete=models.CASCADE)),
            ],
        ),
    ]
"""

SECOND = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField("book", "subtitle", models.CharField(max_length=20, null=True)),
        migrations.RenameField("book", "title", "headline"),
        migrations.AlterField("author", "name", models.CharField(max_length=200)),
        migrations.AddIndex("book", models.Index(fields=["headline"], name="book_headline_idx")),
    ]
"""


def executor(db: DatabaseWrapper, apps_dir: Apps) -> MigrationExecutor:
    return MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("shop")))


def rows(db: DatabaseWrapper, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db.fetchall(sql)]


def test_forwards_and_back_keep_rows(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("shop", "0001_initial", INITIAL)
    apps_dir.write("shop", "0002_changes", SECOND)
    executor(db, apps_dir).migrate([("shop", "0001_initial")])
    db.execute("INSERT INTO shop_author (id, name) VALUES (1, 'Ann')")
    db.execute("INSERT INTO shop_book (id, title, author_id) VALUES (1, 'Dune', 1)")

    plan = executor(db, apps_dir).migrate([("shop", "0002_changes")])
    assert [(m.name, back) for m, back in plan] == [("0002_changes", False)]
    assert rows(db, "SELECT id, headline, subtitle, author_id FROM shop_book") == [
        (1, "Dune", None, 1)
    ]
    long_name = "x" * 150
    db.execute("UPDATE shop_author SET name = %s", [long_name])
    db.execute("UPDATE shop_author SET name = 'Ann'")

    plan = executor(db, apps_dir).migrate([("shop", "0001_initial")])
    assert [(m.name, back) for m, back in plan] == [("0002_changes", True)]
    assert rows(db, "SELECT id, title, author_id FROM shop_book") == [(1, "Dune", 1)]
    assert rows(db, "SELECT id, name FROM shop_author") == [(1, "Ann")]

    executor(db, apps_dir).migrate([("shop", None)])
    ex = executor(db, apps_dir)
    assert ex.loader.applied == set()


def test_fake_records_only(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("shop", "0001_initial", INITIAL)
    executor(db, apps_dir).migrate([("shop", "0001_initial")], fake=True)
    ex = executor(db, apps_dir)
    assert ex.loader.applied == {("shop", "0001_initial")}
    with pytest.raises(Exception):  # noqa: B017 - the table was never created
        db.fetchall("SELECT * FROM shop_author")


UNIQUE = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AlterField("author", "name", models.CharField(max_length=50, unique=True)),
    ]
"""


def test_alter_field_unique_on_an_existing_column(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("shop", "0001_initial", INITIAL)
    apps_dir.write("shop", "0002_unique", UNIQUE)
    executor(db, apps_dir).migrate([("shop", "0001_initial")])
    db.execute("INSERT INTO shop_author (id, name) VALUES (1, 'Ann')")
    executor(db, apps_dir).migrate([("shop", "0002_unique")])
    with pytest.raises(Exception):  # noqa: B017 - now unique
        db.execute("INSERT INTO shop_author (id, name) VALUES (2, 'Ann')")
    executor(db, apps_dir).migrate([("shop", "0001_initial")])
    db.execute("INSERT INTO shop_author (id, name) VALUES (2, 'Ann')")
    assert rows(db, "SELECT id, name FROM shop_author ORDER BY id") == [(1, "Ann"), (2, "Ann")]


DURATION = """
import datetime

from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField(
            "book", "reading", models.DurationField(default=datetime.timedelta(minutes=90))
        ),
    ]
"""


def test_added_field_default_fills_existing_rows_as_the_database_stores_it(
    db: DatabaseWrapper, apps_dir: Apps
) -> None:
    apps_dir.write("shop", "0001_initial", INITIAL)
    apps_dir.write("shop", "0002_duration", DURATION)
    executor(db, apps_dir).migrate([("shop", "0001_initial")])
    db.execute("INSERT INTO shop_author (id, name) VALUES (1, 'Ann')")
    db.execute("INSERT INTO shop_book (id, title, author_id) VALUES (1, 'Dune', 1)")
    executor(db, apps_dir).migrate([("shop", "0002_duration")])
    # An interval on PostgreSQL, microseconds elsewhere: what saving an instance writes.
    expected = db.ops.adapt_duration(dt.timedelta(minutes=90))
    assert rows(db, "SELECT reading FROM shop_book") == [(expected,)]
