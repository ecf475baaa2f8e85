"""Many-to-many fields with ``through=``: the historical models of RunPython resolve the
through model, and the autodetector orders and relates it."""

from __future__ import annotations

from djanco.db import DatabaseWrapper, models
from djanco.db.migrations import operations as ops
from djanco.db.migrations.autodetector import MigrationAutodetector
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.state import ProjectState
from tests.db.migrations.conftest import Apps

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.CreateModel(
            name="Club",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
                (
                    "members",
                    models.ManyToManyField(
                        to="club.Person", through="club.Membership", related_name="clubs"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("person", models.ForeignKey("club.Person", on_delete=models.CASCADE)),
                ("club", models.ForeignKey("club.Club", on_delete=models.CASCADE)),
                ("role", models.CharField(max_length=20)),
            ],
        ),
    ]
"""

DATA = """
from djanco.db import migrations


def forwards(apps, schema_editor):
    Person = apps.get_model("club", "Person")
    Club = apps.get_model("club", "Club")
    Membership = apps.get_model("club", "Membership")
    assert Club._meta.get_field("members").through is Membership
    ann = Person.objects.create(name="Ann")
    bob = Person.objects.create(name="Bob")
    chess = Club.objects.create(name="Chess")
    Membership.objects.create(person=ann, club=chess, role="chair")
    Membership.objects.create(person=bob, club=chess, role="member")
    names = sorted(p.name for p in chess.members.all())
    assert names == ["Ann", "Bob"], names
    assert [c.name for c in ann.clubs.all()] == ["Chess"]
    chairs = Club.objects.filter(members__name="Ann")
    assert [c.name for c in chairs] == ["Chess"]


def backwards(apps, schema_editor):
    apps.get_model("club", "Membership").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("club", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
"""


def test_runpython_uses_the_through_model(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("club", "0001_initial", INITIAL)
    apps_dir.write("club", "0002_data", DATA)

    def executor() -> MigrationExecutor:
        return MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("club")))

    executor().migrate([("club", "0002_data")])
    rows = db.fetchall("SELECT role FROM club_membership ORDER BY role")
    assert [tuple(r) for r in rows] == [("chair",), ("member",)]
    executor().migrate([("club", "0001_initial")])
    assert db.fetchall("SELECT role FROM club_membership") == []
    executor().migrate([("club", None)])


def test_autodetector_creates_the_through_model_and_depends_on_its_app() -> None:
    class Person(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "people"

    class Club(models.Model):
        members = models.ManyToManyField(Person, through="Membership", related_name="clubs")

        class Meta:
            app_label = "club"

    class Membership(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE)
        club = models.ForeignKey(Club, on_delete=models.CASCADE)

        class Meta:
            app_label = "club"

    people = ProjectState.from_models([Person])
    after = ProjectState.from_models([Person, Club, Membership])
    spec = after.get_model("club", "Club").fields["members"]
    assert spec.kwargs["through"] == "club.Membership" and not spec.auto_through
    changes = MigrationAutodetector(people, after).detect()["club"]
    names = [op.name for op in changes.operations if isinstance(op, ops.CreateModel)]
    assert names == ["Club", "Membership"]
    assert ("people", "person") in changes.dependencies
    field = after.apps.get_model("club", "Club")._meta.get_field("members")
    assert field.through is after.apps.get_model("club", "Membership")  # type: ignore[union-attr]
