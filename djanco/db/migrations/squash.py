"""``squash_migrations``: one migration standing for a run of an app's migrations, with
``replaces`` naming them (``djanco squashmigrations``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from djanco.db.migrations.exceptions import MigrationError
from djanco.db.migrations.migration import Migration
from djanco.db.migrations.optimizer import optimize

if TYPE_CHECKING:
    from djanco.db.migrations.loader import MigrationLoader
    from djanco.db.migrations.operations.base import Operation

Key = tuple[str, str]


@dataclass
class Squashed:
    migration: Migration
    replaced: list[Key]
    operations_before: int
    """How many operations the replaced migrations have (``operations_after`` is the new
    migration's count)."""

    @property
    def operations_after(self) -> int:
        return len(self.migration.operations)


def squash_migrations(
    loader: MigrationLoader,
    app_label: str,
    end: str,
    start: str | None = None,
    *,
    name: str | None = None,
    optimize_operations: bool = True,
) -> Squashed:
    """Squash ``app_label``'s migrations from ``start`` (default: the first) to ``end``
    (names or prefixes). Elidable RunPython/RunSQL steps are dropped when optimising."""
    keys = _to_squash(loader, app_label, end, start)
    migrations = [loader.graph.nodes[key] for key in keys]
    for migration in migrations:
        if migration.replaces:
            raise MigrationError(
                f"Migration {app_label}.{migration.name} is itself a squashed migration: it "
                "cannot be squashed again. Make it an ordinary migration first (delete the "
                "migrations it replaces and its `replaces` list)."
            )
    operations: list[Operation] = [op for m in migrations for op in m.operations]
    if optimize_operations:
        kept = [op for op in operations if not getattr(op, "elidable", False)]
        new_operations = optimize(kept, app_label)
    else:
        new_operations = list(operations)
    attrs = {
        "dependencies": _dependencies(migrations, set(keys)),
        "operations": new_operations,
        "replaces": list(keys),
        "initial": True if _is_initial(migrations[0]) else None,
    }
    cls: type[Migration] = type("Migration", (Migration,), attrs)
    squashed_name = _name(keys[0][1], keys[-1][1], name, from_start=start is not None)
    if (app_label, squashed_name) in loader.disk:
        raise MigrationError(
            f"Migration {app_label}.{squashed_name} already exists: choose another --squashed-name."
        )
    return Squashed(cls(squashed_name, app_label), keys, len(operations))


def _to_squash(loader: MigrationLoader, app_label: str, end: str, start: str | None) -> list[Key]:
    graph = loader.graph
    end_key = _in_graph(loader, loader.resolve(app_label, end))
    plan = [key for key in graph.forwards_plan(end_key) if key[0] == app_label]
    if start is not None:
        start_key = _in_graph(loader, loader.resolve(app_label, start))
        if start_key not in plan:
            raise MigrationError(
                f"Migration {app_label}.{start_key[1]} does not come before "
                f"{app_label}.{end_key[1]}: give the earlier one first (squashmigrations "
                f"{app_label} START END)."
            )
        plan = plan[plan.index(start_key) :]
    return plan


def _in_graph(loader: MigrationLoader, key: Key) -> Key:
    if key not in loader.graph.nodes:
        squashed = [k[1] for k, m in loader.replacements.items() if key in m.replaces]
        raise MigrationError(
            f"Migration {key[0]}.{key[1]} is already replaced by the squashed migration "
            f"{', '.join(squashed)}."
        )
    return key


def _dependencies(migrations: list[Migration], squashed: set[Key]) -> list[Key]:
    """The first migration's dependencies, and the others' on other apps (as Django)."""
    found: list[Key] = []
    for index, migration in enumerate(migrations):
        for app, name in migration.dependencies:
            key = (app, name)
            if key in squashed or key in found:
                continue
            if index == 0 or app != migration.app_label:
                found.append(key)
    return sorted(found)


def _is_initial(first: Migration) -> bool:
    return bool(first.initial) or not any(app == first.app_label for app, _ in first.dependencies)


def _name(first: str, last: str, name: str | None, *, from_start: bool) -> str:
    """Django's names: ``0001_squashed_0004_last``; with START, ``0002_first_squashed_0004_last``;
    with ``--squashed-name NAME``, ``0001_NAME`` (the first squashed migration's number)."""
    if name is not None:
        return f"{first.split('_', 1)[0]}_{name}"
    return f"{first}_squashed_{last}" if from_start else f"0001_squashed_{last}"
