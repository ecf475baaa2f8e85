"""Many-to-many join tables: autodetected, created and dropped, renamed with their rows."""

from __future__ import annotations

from djanco.db import DatabaseWrapper, models
from djanco.db.migrations import operations as ops
from djanco.db.migrations.autodetector import MigrationAutodetector
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.state import ProjectState
from djanco.db.migrations.writer import MigrationWriter
from tests.db.migrations.conftest import Apps

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("label", models.CharField(max_length=20)),
            ],
        ),
        migrations.CreateModel(
            name="Post",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("title", models.CharField(max_length=50)),
                ("tags", models.ManyToManyField("m2m.Tag")),
            ],
        ),
    ]
"""

SECOND = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("m2m", "0001_initial")]
    operations = [
        migrations.RenameField("post", "tags", "labels"),
        migrations.RenameModel("Tag", "Topic"),
        migrations.AddField("post", "related", models.ManyToManyField("m2m.Post")),
    ]
"""

THIRD = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("m2m", "0002_changes")]
    operations = [migrations.RemoveField("post", "related")]
"""


def states() -> tuple[ProjectState, ProjectState]:
    class Tag(models.Model):
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "lib"

    class Post(models.Model):
        title = models.CharField(max_length=50)

        class Meta:
            app_label = "lib"

    class TaggedPost(models.Model):
        title = models.CharField(max_length=50)
        tags = models.ManyToManyField(Tag, related_name="posts")

        class Meta:
            app_label = "lib"
            db_table = "lib_post"

    before = ProjectState.from_models([Tag, Post])
    after = ProjectState.from_models([Tag, TaggedPost])
    after.models[("lib", "post")] = after.models.pop(("lib", "taggedpost"))
    after.models[("lib", "post")].name = "Post"
    after.models[("lib", "post")].options.pop("db_table")
    return before, after


def test_m2m_field_is_in_the_state_and_the_join_model_is_not() -> None:
    _before, after = states()
    assert sorted(after.models) == [("lib", "post"), ("lib", "tag")]
    spec = after.get_model("lib", "post").fields["tags"]
    assert spec.is_m2m and spec.auto_through
    assert spec.kwargs == {"to": "lib.Tag", "related_name": "posts"}
    table = after.apps.join_table("lib", "post", "tags")
    assert table is not None and table.name == "lib_post_tags"
    assert sorted(c.name for c in table.columns) == ["id", "post_id", "tag_id"]


def test_autodetector_adds_and_removes_m2m_without_asking_a_default() -> None:
    before, after = states()
    [add] = MigrationAutodetector(before, after).detect()["lib"].operations
    assert isinstance(add, ops.AddField) and add.field.is_m2m
    [remove] = MigrationAutodetector(after, before).detect()["lib"].operations
    assert isinstance(remove, ops.RemoveField) and remove.name == "tags"
    [migration] = MigrationAutodetector(ProjectState(), after).changes(
        MigrationLoader(None, modules={}).graph
    )["lib"]
    text = MigrationWriter(migration).as_string()
    assert 'models.ManyToManyField[models.Model](to="lib.Tag", related_name="posts")' in text


def executor(db: DatabaseWrapper, apps_dir: Apps) -> MigrationExecutor:
    return MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("m2m")))


def rows(db: DatabaseWrapper, sql: str) -> list[tuple[object, ...]]:
    return sorted(tuple(r) for r in db.fetchall(sql))


def test_join_tables_created_renamed_and_dropped_with_rows(
    db: DatabaseWrapper, apps_dir: Apps
) -> None:
    apps_dir.write("m2m", "0001_initial", INITIAL)
    apps_dir.write("m2m", "0002_changes", SECOND)
    apps_dir.write("m2m", "0003_remove", THIRD)
    executor(db, apps_dir).migrate([("m2m", "0001_initial")])
    db.execute("INSERT INTO m2m_tag (id, label) VALUES (1, 'a'), (2, 'b')")
    db.execute("INSERT INTO m2m_post (id, title) VALUES (1, 'P')")
    db.execute("INSERT INTO m2m_post_tags (post_id, tag_id) VALUES (1, 1), (1, 2)")

    executor(db, apps_dir).migrate([("m2m", "0002_changes")])
    assert rows(db, "SELECT post_id, topic_id FROM m2m_post_labels") == [(1, 1), (1, 2)]
    db.execute("INSERT INTO m2m_post_related (from_post_id, to_post_id) VALUES (1, 1)")

    executor(db, apps_dir).migrate([("m2m", "0003_remove")])
    executor(db, apps_dir).migrate([("m2m", "0002_changes")])
    assert rows(db, "SELECT from_post_id FROM m2m_post_related") == []

    executor(db, apps_dir).migrate([("m2m", "0001_initial")])
    assert rows(db, "SELECT post_id, tag_id FROM m2m_post_tags") == [(1, 1), (1, 2)]
    executor(db, apps_dir).migrate([("m2m", None)])
    assert executor(db, apps_dir).loader.applied == set()
