"""AddConstraint/RemoveConstraint, AlterUniqueTogether and AlterModelOptions."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper, models
from djanco.db.migrations import operations as ops
from djanco.db.migrations.autodetector import MigrationAutodetector, make_migration
from djanco.db.migrations.executor import MigrationExecutor
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.state import ConstraintSpec, ProjectState
from djanco.db.migrations.writer import MigrationWriter
from tests.db.migrations.conftest import Apps

INITIAL = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("sku", models.CharField(max_length=20)),
                ("shop", models.IntegerField()),
                ("price", models.IntegerField()),
                ("active", models.BooleanField(default=True)),
            ],
        ),
    ]
"""

SECOND = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cons", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "item", models.CheckConstraint(condition=models.Q(price__gte=0), name="price_ok")
        ),
        migrations.AddConstraint(
            "item", models.UniqueConstraint(fields=["sku", "shop"], name="sku_per_shop")
        ),
        migrations.AlterUniqueTogether("Item", [("shop", "price")]),
        migrations.AlterModelOptions("Item", {"ordering": ["sku"], "verbose_name": "article"}),
    ]
"""

THIRD = """
from djanco.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cons", "0002_constraints")]
    operations = [
        migrations.AddConstraint(
            "item",
            models.UniqueConstraint(
                fields=["sku"], condition=models.Q(active=True), name="one_active_sku"
            ),
        ),
        migrations.RemoveConstraint("item", "price_ok"),
    ]
"""


def state(*constraints: object, **meta: object) -> ProjectState:
    attrs = {"app_label": "lib", "constraints": list(constraints), **meta}

    class Item(models.Model):
        sku = models.CharField(max_length=20)
        shop = models.IntegerField()
        price = models.IntegerField()
        active = models.BooleanField(default=True)

        Meta = type("Meta", (), attrs)

    return ProjectState.from_models([Item])


def test_constraints_are_in_the_state_and_detected() -> None:
    check = models.CheckConstraint(condition=models.Q(price__gte=0), name="price_ok")
    partial = models.UniqueConstraint(
        fields=["sku"], condition=models.Q(active=True), name="one_active_sku"
    )
    old = state(check)
    assert old.get_model("lib", "item").constraints == [
        ConstraintSpec("check", "price_ok", (), models.Q(price__gte=0))
    ]
    new = state(partial, ordering=["sku"], unique_together=[("sku", "shop")])
    detected = MigrationAutodetector(old, new).detect()["lib"].operations
    assert [type(op) for op in detected] == [
        ops.AlterModelOptions,
        ops.RemoveConstraint,
        ops.AlterUniqueTogether,
        ops.AddConstraint,
    ]
    assert MigrationAutodetector(new, new).detect() == {}
    migration = make_migration("lib", "0002_x", detected, [])
    text = MigrationWriter(migration).as_string()
    assert "condition=models.Q(active=True)," in text
    namespace: dict[str, object] = {}
    exec(compile(text, "0002_x.py", "exec"), namespace)  # the file imports and runs
    written = namespace["Migration"].operations  # type: ignore[attr-defined]
    assert written == detected


def executor(db: DatabaseWrapper, apps_dir: Apps) -> MigrationExecutor:
    return MigrationExecutor(db, MigrationLoader(db, modules=apps_dir.modules("cons")))


def insert(db: DatabaseWrapper, *values: object) -> None:
    db.execute(
        "INSERT INTO cons_item (sku, shop, price, active) VALUES (%s, %s, %s, %s)", list(values)
    )


def test_constraints_applied_and_reversed(db: DatabaseWrapper, apps_dir: Apps) -> None:
    apps_dir.write("cons", "0001_initial", INITIAL)
    apps_dir.write("cons", "0002_constraints", SECOND)
    apps_dir.write("cons", "0003_partial", THIRD)
    executor(db, apps_dir).migrate([("cons", "0001_initial")])
    insert(db, "a", 1, 5, True)
    executor(db, apps_dir).migrate([("cons", "0002_constraints")])
    assert [tuple(r) for r in db.fetchall("SELECT sku, price FROM cons_item")] == [("a", 5)]
    for bad in [("b", 1, -1, True), ("a", 1, 7, True), ("c", 1, 5, True)]:
        with pytest.raises(Exception):  # noqa: B017 - check, unique, unique_together
            insert(db, *bad)
    executor(db, apps_dir).migrate([("cons", "0003_partial")])
    insert(db, "b", 1, -1, False)  # the check is gone
    insert(db, "b", 2, 6, False)  # inactive: the partial constraint does not apply
    if db.vendor != "mysql":  # MariaDB has no partial indexes
        with pytest.raises(Exception):  # noqa: B017
            insert(db, "a", 3, 8, True)
    db.execute("DELETE FROM cons_item WHERE price < 0")
    executor(db, apps_dir).migrate([("cons", "0001_initial")])
    insert(db, "a", 1, -5, True)  # every constraint is gone
    count = db.fetchall("SELECT COUNT(*) FROM cons_item")[0][0]
    assert count == 3
