"""squashmigrations: the optimiser, the squashed file, and the loader honouring ``replaces``
on a fresh database, one where the originals were applied, and one where some were."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from djanco.db import DatabaseWrapper, models
from djanco.db.migrations import operations as ops
from djanco.db.migrations.exceptions import MigrationError
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.optimizer import optimize
from djanco.db.migrations.squash import squash_migrations
from djanco.db.migrations.writer import MigrationWriter
from tests.db.migrations.conftest import Apps


def _id() -> models.BigAutoField:
    return models.BigAutoField(primary_key=True)


def test_create_model_absorbs_later_field_changes() -> None:
    operations: list[ops.Operation] = [
        ops.CreateModel("Author", [("id", _id()), ("name", models.CharField(max_length=10))]),
        ops.AddField("author", "bio", models.TextField(null=True)),
        ops.AlterField("author", "name", models.CharField(max_length=20)),
        ops.RenameField("author", "name", "full_name"),
        ops.RemoveField("author", "bio"),
    ]
    [create] = optimize(operations, "lib")
    assert isinstance(create, ops.CreateModel)
    assert [name for name, _ in create.fields] == ["id", "full_name"]
    assert create.fields[1][1].kwargs["max_length"] == 20


def test_create_then_delete_vanish_and_alters_keep_the_last() -> None:
    operations: list[ops.Operation] = [
        ops.CreateModel("Temp", [("id", _id())]),
        ops.AlterField("author", "name", models.CharField(max_length=20)),
        ops.AlterField("author", "name", models.CharField(max_length=30)),
        ops.DeleteModel("Temp"),
        ops.AddField("author", "age", models.IntegerField(null=True)),
        ops.RemoveField("author", "age"),
    ]
    [alter] = optimize(operations, "lib")
    assert isinstance(alter, ops.AlterField) and alter.field.kwargs["max_length"] == 30


def test_runpython_and_relations_block_reordering() -> None:
    def forwards(apps: object, schema_editor: object) -> None:
        pass

    operations: list[ops.Operation] = [
        ops.CreateModel("Author", [("id", _id())]),
        ops.RunPython(forwards),
        ops.AddField("author", "name", models.CharField(max_length=10, null=True)),
        ops.CreateModel("Book", [("id", _id()), ("author", _fk("lib.Author"))]),
        ops.DeleteModel("Author"),
    ]
    assert optimize(operations, "lib") == operations


def _fk(to: str) -> models.ForeignKey[models.Model]:
    return models.ForeignKey(to, on_delete=models.CASCADE)


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
    ]
"""

BOOK = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("title", models.CharField(max_length=100)),
                ("author", models.ForeignKey("shop.Author", on_delete=models.CASCADE)),
            ],
        ),
        migrations.AddField("author", "bio", models.TextField(null=True)),
        migrations.AlterField("author", "name", models.CharField(max_length=80)),
    ]
"""

DATA = """
import string

from djanco.db import migrations


def seed(apps, schema_editor):
    Author = apps.get_model("shop", "Author")
    Author.objects.create(name=_name())


def _name():
    return string.capwords("seeded author")


def unseed(apps, schema_editor):
    apps.get_model("shop", "Author").objects.filter(name=_name()).delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_book")]
    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop, elidable=True),
    ]
"""

CHANGES = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_data")]
    operations = [
        migrations.CreateModel("Temp", [("id", models.BigAutoField(primary_key=True))]),
        migrations.RenameField("book", "title", "headline"),
        migrations.AlterField("author", "name", models.CharField(max_length=90)),
        migrations.AlterField("author", "name", models.CharField(max_length=100)),
        migrations.DeleteModel("Temp"),
    ]
"""

LATER = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0004_changes")]
    operations = [migrations.AddField("book", "isbn", models.CharField(max_length=13, null=True))]
"""

ORIGINALS = [("0001_initial", INITIAL), ("0002_book", BOOK), ("0003_data", DATA)]
ORIGINALS += [("0004_changes", CHANGES)]
REPLACED = [("shop", name) for name, _ in ORIGINALS]
SQUASHED = ("shop", "0001_squashed_0004_changes")


def write_originals(apps_dir: Apps) -> None:
    for name, source in ORIGINALS:
        apps_dir.write("shop", name, source)


def write_squashed(apps_dir: Apps) -> Path:
    loader = MigrationLoader(modules=apps_dir.modules("shop"))
    squashed = squash_migrations(loader, "shop", "0004")
    writer = MigrationWriter(squashed.migration)
    path = apps_dir.directory("shop") / writer.filename
    path.write_text(writer.as_string())
    assert writer.warnings == []
    return path


def loader(db: DatabaseWrapper, apps_dir: Apps) -> MigrationLoader:
    return MigrationLoader(db, modules=apps_dir.modules("shop"))


def migrate(db: DatabaseWrapper, apps_dir: Apps, name: str | None = "") -> MigrationExecutor:
    executor = MigrationExecutor(db, loader(db, apps_dir))
    targets = executor.leaf_targets() if name == "" else [("shop", name)]
    executor.migrate(targets)
    return executor


def authors(db: DatabaseWrapper) -> list[str]:
    return sorted(str(row[0]) for row in db.fetchall("SELECT name FROM shop_author"))


def test_the_squashed_file(apps_dir: Apps) -> None:
    write_originals(apps_dir)
    squashed = squash_migrations(loader_without_db(apps_dir), "shop", "0002")
    assert squashed.migration.name == "0001_squashed_0002_book"
    [create_author, create_book] = squashed.migration.operations
    assert isinstance(create_author, ops.CreateModel) and isinstance(create_book, ops.CreateModel)
    assert [name for name, _ in create_author.fields] == ["id", "name", "bio"]
    named = squash_migrations(
        loader_without_db(apps_dir), "shop", "0003", start="0002", name="data"
    )
    assert named.migration.name == "0002_data"
    started = squash_migrations(loader_without_db(apps_dir), "shop", "0003", start="0002")
    assert started.migration.name == "0002_book_squashed_0003_data"
    assert named.migration.dependencies == [("shop", "0001_initial")]
    assert not named.migration.initial
    with pytest.raises(MigrationError, match="does not come before"):
        squash_migrations(loader_without_db(apps_dir), "shop", "0002", start="0003")

    path = write_squashed(apps_dir)
    assert path.name == "0001_squashed_0004_changes.py"
    text = path.read_text()
    assert "replaces = [\n" in text and '("shop", "0003_data"),' in text
    assert "initial = True" in text and "Temp" not in text and "SELECT 1" not in text
    assert "def seed(apps, schema_editor):" in text and "def _name():" in text
    assert "import string" in text
    assert "migrations.RunPython(code=seed, reverse_code=unseed)" in text
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "format", "--check", str(path)], capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(MigrationError, match="already replaced"):
        squash_migrations(loader_without_db(apps_dir), "shop", "0002_book")
    with pytest.raises(MigrationError, match="squashed migration"):
        squash_migrations(loader_without_db(apps_dir), "shop", "0001_squashed")


def loader_without_db(apps_dir: Apps) -> MigrationLoader:
    return MigrationLoader(modules=apps_dir.modules("shop"))


def test_fresh_database_uses_the_squashed_migration(db: DatabaseWrapper, apps_dir: Apps) -> None:
    write_originals(apps_dir)
    write_squashed(apps_dir)
    plan = MigrationExecutor(db, loader(db, apps_dir)).migration_plan([SQUASHED])
    assert [m.key for m, _ in plan] == [SQUASHED]
    migrate(db, apps_dir)
    assert authors(db) == ["Seeded Author"]
    db.execute("INSERT INTO shop_book (id, headline, author_id) VALUES (1, 'Dune', 1)")
    after = loader(db, apps_dir)
    assert after.recorded == {*REPLACED, SQUASHED}
    assert SQUASHED in after.graph.nodes and ("shop", "0002_book") not in after.graph.nodes

    # The originals deleted: a later migration depending on one of them still works.
    for name, _ in ORIGINALS:
        (apps_dir.directory("shop") / f"{name}.py").unlink()
    apps_dir.write("shop", "0005_isbn", LATER)
    migrate(db, apps_dir)
    db.execute("UPDATE shop_book SET isbn = '123'")
    migrate(db, apps_dir, None)
    assert loader(db, apps_dir).recorded == set()


def test_applied_originals_make_the_squashed_one_applied(
    db: DatabaseWrapper, apps_dir: Apps
) -> None:
    write_originals(apps_dir)
    migrate(db, apps_dir)
    write_squashed(apps_dir)
    before = loader(db, apps_dir)
    assert SQUASHED in before.applied and SQUASHED not in before.recorded
    executor = migrate(db, apps_dir)
    assert executor.migration_plan(executor.leaf_targets()) == []
    assert authors(db) == ["Seeded Author"]  # nothing ran again
    assert loader(db, apps_dir).recorded == {*REPLACED, SQUASHED}


def test_partly_applied_originals_are_used(db: DatabaseWrapper, apps_dir: Apps) -> None:
    write_originals(apps_dir)
    migrate(db, apps_dir, "0002_book")
    write_squashed(apps_dir)
    partial = loader(db, apps_dir)
    assert SQUASHED not in partial.graph.nodes and ("shop", "0003_data") in partial.graph.nodes
    apps_dir.write("shop", "0005_isbn", LATER.replace("0004_changes", "0001_squashed_0004_changes"))
    executor = MigrationExecutor(db, loader(db, apps_dir))
    plan = executor.migration_plan(executor.leaf_targets())
    assert [m.name for m, _ in plan] == ["0003_data", "0004_changes", "0005_isbn"]
    executor.migrate(executor.leaf_targets())
    assert authors(db) == ["Seeded Author"]
    done = loader(db, apps_dir)
    assert SQUASHED in done.recorded and SQUASHED in done.graph.nodes
    assert done.applied >= {*REPLACED, SQUASHED, ("shop", "0005_isbn")}

    # Rolling back to a replaced migration uses the originals again.
    migrate(db, apps_dir, "0002_book")
    back = loader(db, apps_dir)
    assert back.recorded == {("shop", "0001_initial"), ("shop", "0002_book")}
    assert authors(db) == []


RUNPYTHON = """
from djanco.db import migrations

LIMIT = {limit}


def forwards(apps, schema_editor):
    return LIMIT


class Migration(migrations.Migration):
    dependencies = {deps}
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
"""


def test_functions_with_one_name_are_both_copied(apps_dir: Apps) -> None:
    apps_dir.write("shop", "0001_a", RUNPYTHON.format(limit=1, deps=[]))
    apps_dir.write("shop", "0002_b", RUNPYTHON.format(limit=2, deps=[("shop", "0001_a")]))
    squashed = squash_migrations(loader_without_db(apps_dir), "shop", "0002")
    writer = MigrationWriter(squashed.migration)
    text = writer.as_string()
    assert "def forwards(" in text and "def forwards_0002(" in text
    assert "RunPython(code=forwards_0002, reverse_code=migrations.RunPython.noop)" in text
    assert len(writer.warnings) == 2 and "'LIMIT'" in writer.warnings[0]
