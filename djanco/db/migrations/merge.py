"""``makemigrations --merge``: a migration that depends on every leaf of an app, so two
branches of migrations (from two git branches) become one history again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.db.migrations.autodetector import make_migration
from djanco.db.migrations.migration import migration_number

if TYPE_CHECKING:
    from djanco.db.migrations.loader import MigrationLoader
    from djanco.db.migrations.migration import Migration

Key = tuple[str, str]


def branch_models(
    loader: MigrationLoader, app_label: str, leaves: list[Key]
) -> dict[Key, set[str]]:
    """{leaf: models its branch changes}, a branch being the migrations only that leaf needs."""
    plans = {leaf: set(loader.graph.forwards_plan(leaf)) for leaf in leaves}
    touched: dict[Key, set[str]] = {}
    for leaf, plan in plans.items():
        shared = set.intersection(*(p for other, p in plans.items() if other != leaf))
        models: set[str] = set()
        for key in sorted(plan - shared):
            if key[0] != app_label:
                continue
            for op in loader.graph.nodes[key].operations:
                if hasattr(op, "model_name"):
                    candidates = [op.model_name]
                else:
                    candidates = [getattr(op, a, None) for a in ("name", "old_name", "new_name")]
                models.update(c.lower() for c in candidates if isinstance(c, str))
        touched[leaf] = models
    return touched


def merge_migrations(
    loader: MigrationLoader, app_labels: set[str] | None = None, name: str | None = None
) -> tuple[dict[str, list[Migration]], list[str]]:
    """The merge migrations of every app with more than one leaf, and warnings about models
    changed on more than one branch (review those migrations: they may conflict)."""
    changes: dict[str, list[Migration]] = {}
    warnings: list[str] = []
    for app, names in sorted(loader.detect_conflicts().items()):
        if app_labels is not None and app not in app_labels:
            continue
        leaves = [(app, leaf) for leaf in sorted(names)]
        number = max(_number(leaf) for leaf in names) + 1
        suffix = name or "merge_" + "_".join(sorted(names))
        touched = branch_models(loader, app, leaves)
        seen: dict[str, Key] = {}
        for leaf, models in sorted(touched.items()):
            for model in sorted(models):
                if model in seen and seen[model] != leaf:
                    warnings.append(
                        f"{app}: both {seen[model][1]} and {leaf[1]} change {model}; check that "
                        "their operations agree before migrating."
                    )
                seen.setdefault(model, leaf)
        changes[app] = [make_migration(app, f"{number:04d}_{suffix[:60]}", [], leaves)]
    return changes, warnings


def _number(name: str) -> int:
    return migration_number(name) or 0
