"""``makemigrations --merge``: one migration after both leaves of an app."""

from __future__ import annotations

from pathlib import Path

from djanco.db import DatabaseWrapper
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.merge import merge_migrations
from djanco.db.migrations.writer import MigrationWriter
from tests.db.migrations.conftest import Apps
from tests.db.migrations.test_workflow import ok, project, run

__all__ = ["project"]  # the fixture

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("text", models.CharField(max_length=20)),
            ],
        ),
    ]
"""

BRANCH = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [migrations.AddField("note", "{field}", models.IntegerField(null=True))]
"""


def write_branches(apps_dir: Apps) -> None:
    apps_dir.write("notes", "0001_initial", INITIAL)
    apps_dir.write("notes", "0002_left", BRANCH.format(field="left"))
    apps_dir.write("notes", "0002_right", BRANCH.format(field="right"))


def test_merge_migration_joins_the_leaves(db: DatabaseWrapper, apps_dir: Apps) -> None:
    write_branches(apps_dir)
    loader = MigrationLoader(modules=apps_dir.modules("notes"))
    assert loader.detect_conflicts() == {"notes": ["0002_left", "0002_right"]}
    changes, warnings = merge_migrations(loader)
    [migration] = changes["notes"]
    assert migration.name == "0003_merge_0002_left_0002_right"
    assert migration.dependencies == [("notes", "0002_left"), ("notes", "0002_right")]
    assert warnings and "note" in warnings[0]  # both branches change Note
    writer = MigrationWriter(migration)
    (apps_dir.directory("notes") / writer.filename).write_text(writer.as_string())

    loader = MigrationLoader(db, modules=apps_dir.modules("notes"))
    assert loader.detect_conflicts() == {}
    assert set(loader.project_state().get_model("notes", "note").fields) == {
        "id",
        "text",
        "left",
        "right",
    }
    assert merge_migrations(loader) == ({}, [])
    MigrationExecutor(db, loader).migrate([("notes", "0003_merge_0002_left_0002_right")])
    db.execute(
        "INSERT INTO notes_note (text, `left`, `right`) VALUES ('x', 1, 2)".replace(
            "`", '"' if db.vendor != "mysql" else "`"
        )
    )
    assert [tuple(r) for r in db.fetchall("SELECT text FROM notes_note")] == [("x",)]
    MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("notes"))).migrate(
        [("notes", None)]
    )


EMPTY_BRANCH = """
from djanco.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = []
"""


def test_makemigrations_merge_through_the_cli(project: Path, db: DatabaseWrapper) -> None:
    url = db.settings_url
    ok(run(project, url, "makemigrations"))
    migrations = project / "shop" / "migrations"
    (migrations / "0002_a.py").write_text(EMPTY_BRANCH)
    (migrations / "0002_b.py").write_text(EMPTY_BRANCH)
    result = run(project, url, "makemigrations")
    assert result.returncode == 1 and "--merge" in result.stderr
    out = ok(run(project, url, "makemigrations", "--merge", "--dry-run"))
    assert (
        "0003_merge_0002_a_0002_b" in out
        and not (migrations / "0003_merge_0002_a_0002_b.py").exists()
    )
    ok(run(project, url, "makemigrations", "--merge"))
    assert (migrations / "0003_merge_0002_a_0002_b.py").exists()
    assert "No conflicts detected" in ok(run(project, url, "makemigrations", "--merge"))
    ok(run(project, url, "migrate"))
    assert "No changes detected" in ok(run(project, url, "makemigrations", "--check"))
