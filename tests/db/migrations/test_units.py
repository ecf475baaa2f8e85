"""Autodetector, writer, loader errors and RunPython with historical models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from djanco.db import DatabaseWrapper, migrations, models
from djanco.db.migrations import operations as ops
from djanco.db.migrations.autodetector import MigrationAutodetector
from djanco.db.migrations.exceptions import BadMigrationError, ConflictError, NodeNotFoundError
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.graph import MigrationGraph
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.questioner import InteractiveQuestioner
from djanco.db.migrations.state import ModelState, ProjectState
from djanco.db.migrations.writer import MigrationWriter
from tests.db.migrations.conftest import Apps


def author_state(**fields: models.Field[object]) -> ProjectState:
    class Author(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "lib"

    state = ProjectState.from_models([Author])
    model = state.get_model("lib", "Author")
    for name, field in fields.items():
        model.fields[name] = ops.AddField("author", name, field).field
    return state


def detect(old: ProjectState, new: ProjectState, answer: str = "n") -> list[ops.Operation]:
    questioner = InteractiveQuestioner(ask=lambda _q: answer, say=lambda _t: None)
    changes = MigrationAutodetector(old, new, questioner).detect()
    return changes["lib"].operations if "lib" in changes else []


def test_create_and_delete_model() -> None:
    state = author_state()
    [create] = detect(ProjectState(), state)
    assert isinstance(create, ops.CreateModel) and create.name == "Author"
    [delete] = detect(state, ProjectState())
    assert isinstance(delete, ops.DeleteModel)


def test_add_remove_alter_field() -> None:
    old = author_state()
    new = author_state(bio=models.TextField(null=True))
    [add] = detect(old, new)
    assert isinstance(add, ops.AddField) and add.name == "bio"
    [remove] = detect(new, old)
    assert isinstance(remove, ops.RemoveField)
    wider = author_state()
    wider.get_model("lib", "author").fields["name"] = ops.AddField(
        "author", "name", models.CharField(max_length=99)
    ).field
    [alter] = detect(old, wider)
    assert isinstance(alter, ops.AlterField) and alter.field.kwargs["max_length"] == 99


def test_rename_field_only_when_confirmed() -> None:
    old = author_state(bio=models.TextField(null=True))
    new = author_state(about=models.TextField(null=True))
    [rename] = detect(old, new, "y")
    assert isinstance(rename, ops.RenameField)
    kinds = {type(op) for op in detect(old, new, "n")}
    assert kinds == {ops.AddField, ops.RemoveField}


def test_indexes() -> None:
    old = author_state()
    new = author_state()
    index = models.Index(fields=["name"], name="lib_name_idx")
    new.get_model("lib", "author").indexes.append(ops.AddIndex("author", index).index)
    [add] = detect(old, new)
    assert isinstance(add, ops.AddIndex)
    [remove] = detect(new, old)
    assert isinstance(remove, ops.RemoveIndex)


def test_writer_is_stable_and_ruff_clean(tmp_path: Path) -> None:
    state = author_state(bio=models.TextField(null=True, default="x" * 90))
    graph = MigrationGraph()
    first = MigrationAutodetector(ProjectState(), state).changes(graph)["lib"][0]
    again = MigrationAutodetector(ProjectState(), state).changes(graph)["lib"][0]
    text = MigrationWriter(first).as_string()
    assert text == MigrationWriter(again).as_string()
    path = tmp_path / "0001_initial.py"
    path.write_text(text)
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "format", "--check", str(path)], capture_output=True)
    assert result.returncode == 0, result.stdout


def test_state_replay_matches_models() -> None:
    state = author_state()
    replayed = ProjectState()
    ops.CreateModel("Author", list(state.get_model("lib", "author").fields.items())).state_forwards(
        "lib", replayed
    )
    assert replayed == state
    assert isinstance(replayed.get_model("lib", "author"), ModelState)


def test_syntax_error_names_file_and_line(apps_dir: Apps) -> None:
    path = apps_dir.write("lib", "0001_initial", "x = 1\nclass Migration(:\n")
    with pytest.raises(BadMigrationError) as info:
        MigrationLoader(modules=apps_dir.modules("lib"))
    assert str(path) in str(info.value) and "line 2" in str(info.value)


def test_import_error_names_file_and_line(apps_dir: Apps) -> None:
    path = apps_dir.write("lib", "0001_initial", "x = 1\nimport no_such_module_xyz\n")
    with pytest.raises(BadMigrationError) as info:
        MigrationLoader(modules=apps_dir.modules("lib"))
    assert f"{path}, line 2" in str(info.value)


MIGRATION = """
from djanco.db import migrations


class Migration(migrations.Migration):
    dependencies = {deps}
    operations = []
"""


def test_missing_dependency_is_named(apps_dir: Apps) -> None:
    apps_dir.write("lib", "0001_initial", MIGRATION.format(deps=[("lib", "0000_gone")]))
    with pytest.raises(NodeNotFoundError, match="0000_gone"):
        MigrationLoader(modules=apps_dir.modules("lib"))


def test_first_latest_and_swappable_dependencies(apps_dir: Apps) -> None:
    apps_dir.write("users", "0001_initial", MIGRATION.format(deps=[]))
    apps_dir.write("users", "0002_more", MIGRATION.format(deps=[("users", "0001_initial")]))
    deps = [
        migrations.swappable_dependency("users.Person"),
        ("users", "__latest__"),
        ("empty", "__first__"),  # an app without migrations: nothing to wait for
    ]
    assert deps[0] == ("users", "__first__")
    apps_dir.write("lib", "0001_initial", MIGRATION.format(deps=deps))
    loader = MigrationLoader(modules=apps_dir.modules("users", "lib", "empty"))
    assert loader.graph.parents[("lib", "0001_initial")] == {
        ("users", "0001_initial"),
        ("users", "0002_more"),
    }
    with pytest.raises(ValueError, match="of the form"):
        migrations.swappable_dependency("Person")


def test_two_leaves_is_a_conflict(apps_dir: Apps) -> None:
    apps_dir.write("lib", "0001_initial", MIGRATION.format(deps=[]))
    apps_dir.write("lib", "0002_a", MIGRATION.format(deps=[("lib", "0001_initial")]))
    apps_dir.write("lib", "0002_b", MIGRATION.format(deps=[("lib", "0001_initial")]))
    loader = MigrationLoader(modules=apps_dir.modules("lib"))
    with pytest.raises(ConflictError, match="--merge"):
        loader.check_conflicts()


def test_unknown_target_lists_known(apps_dir: Apps) -> None:
    apps_dir.write("lib", "0001_initial", MIGRATION.format(deps=[]))
    loader = MigrationLoader(modules=apps_dir.modules("lib"))
    with pytest.raises(NodeNotFoundError, match="zero, 0001_initial"):
        loader.resolve("lib", "0009")


RUNPYTHON = """
from djanco.db import migrations, models


def forwards(apps, schema_editor):
    Author = apps.get_model("lib", "Author")
    assert [f.name for f in Author._meta.fields] == ["id", "name"]
    for author in Author.objects.all():
        author.name = author.name.upper()
        author.save()


def backwards(apps, schema_editor):
    Author = apps.get_model("lib", "Author")
    for author in Author.objects.all():
        author.name = author.name.lower()
        author.save()


class Migration(migrations.Migration):
    dependencies = [("lib", "0001_initial")]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddField("author", "bio", models.TextField(null=True)),
        migrations.RunSQL(
            "UPDATE lib_author SET bio = 'set'", reverse_sql=migrations.RunSQL.noop
        ),
    ]
"""

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(
            "Author",
            [
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
    ]
"""


def test_runpython_with_historical_models(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("lib", "0001_initial", INITIAL)
    apps_dir.write("lib", "0002_data", RUNPYTHON)

    def executor() -> MigrationExecutor:
        return MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("lib")))

    executor().migrate([("lib", "0001_initial")])
    db.execute("INSERT INTO lib_author (id, name) VALUES (1, 'ann')")
    executor().migrate([("lib", "0002_data")])
    assert [tuple(r) for r in db.fetchall("SELECT name, bio FROM lib_author")] == [("ANN", "set")]
    executor().migrate([("lib", "0001_initial")])
    assert [tuple(r) for r in db.fetchall("SELECT name FROM lib_author")] == [("ann",)]


def test_irreversible_is_refused_before_running(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("lib", "0001_initial", INITIAL)
    apps_dir.write(
        "lib",
        "0002_sql",
        MIGRATION.replace("operations = []", 'operations = [migrations.RunSQL("SELECT 1")]').format(
            deps=[("lib", "0001_initial")]
        ),
    )
    loader = MigrationLoader(db, modules=apps_dir.modules("lib"))
    MigrationExecutor(db, loader).migrate([("lib", "0002_sql")])
    loader = MigrationLoader(db, modules=apps_dir.modules("lib"))
    with pytest.raises(Exception, match="not reversible"):
        MigrationExecutor(db, loader).migrate([("lib", None)])
