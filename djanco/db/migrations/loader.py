"""``MigrationLoader``: finds ``<app>/migrations/NNNN_name.py`` files and builds the graph."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from djanco.apps import apps
from djanco.db.migrations.exceptions import BadMigrationError, ConflictError, NodeNotFoundError
from djanco.db.migrations.graph import MigrationGraph
from djanco.db.migrations.migration import Migration
from djanco.db.migrations.recorder import MigrationRecorder
from djanco.db.migrations.state import ProjectState

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseWrapper

Key = tuple[str, str]


def migrations_modules() -> dict[str, str]:
    """{app_label: "<app module>.migrations"} for every installed app."""
    return {config.label: f"{config.name}.migrations" for config in apps.get_app_configs()}


class MigrationLoader:
    """The migrations on disk (``disk``), their graph, and (given a connection) which are
    applied."""

    def __init__(
        self,
        connection: DatabaseWrapper | None = None,
        *,
        modules: Mapping[str, str] | None = None,
        replace_migrations: bool = True,
    ) -> None:
        self.connection = connection
        self.modules = dict(modules) if modules is not None else migrations_modules()
        self.replace_migrations = replace_migrations
        """False: always use the migrations a squashed one replaces (``sqlmigrate``, or a
        target that was squashed)."""
        self.disk: dict[Key, Migration] = {}
        self.replacements: dict[Key, Migration] = {}
        """Squashed migrations on disk (those with ``replaces``)."""
        self.unmigrated_apps: set[str] = set()
        self.graph = MigrationGraph()
        self.recorded: set[Key] = set()
        """The rows of the ``djanco_migrations`` table."""
        self.applied: set[Key] = set()
        """Applied migrations: ``recorded``, plus squashed ones whose replaced are all applied."""
        self.load()

    def load(self) -> None:
        importlib.invalidate_caches()
        for app_label, module_name in sorted(self.modules.items()):
            for key, migration in self._load_app(app_label, module_name).items():
                self.disk[key] = migration
        self.replacements = {key: m for key, m in self.disk.items() if m.replaces}
        replaced_by = {old: key for key, m in self.replacements.items() for old in m.replaces}
        for migration in self.disk.values():
            self.graph.add_node(migration)
        for key, migration in sorted(self.disk.items()):
            for parent in migration.dependencies:
                parent_key = self._named_dependency(parent[0], parent[1])
                if parent_key is None:
                    continue
                if parent_key not in self.disk and parent_key in replaced_by:
                    parent_key = replaced_by[parent_key]  # squashed, and the file deleted
                if parent_key[0] not in self.modules and parent_key not in self.disk:
                    raise NodeNotFoundError(
                        f"Migration {key[0]}.{key[1]} depends on {parent[0]}.{parent[1]}, "
                        f"but the app {parent[0]!r} is not installed."
                    )
                if parent_key[0] in self.unmigrated_apps:
                    raise NodeNotFoundError(
                        f"Migration {key[0]}.{key[1]} depends on {parent[0]}.{parent[1]}, "
                        f"but {parent[0]} has no migrations."
                    )
                self.graph.add_dependency(key, parent_key)
        if self.connection is not None:
            self.recorded = MigrationRecorder(self.connection).applied()
        self.applied = set(self.recorded)
        for key, migration in sorted(self.replacements.items()):
            self._replace(key, migration.replaces)

    def _named_dependency(self, app_label: str, name: str) -> Key | None:
        """Django's special names: ``__first__`` is the app's first migration, ``__latest__``
        its last; an app without migrations has nothing to wait for (None)."""
        if name not in ("__first__", "__latest__"):
            return (app_label, name)
        if app_label in self.unmigrated_apps:
            return None
        same_app = {k: m for k, m in self.disk.items() if k[0] == app_label and not m.replaces}
        if name == "__first__":
            firsts = [
                k for k, m in same_app.items() if all(d[0] != app_label for d in m.dependencies)
            ]
        else:
            needed = {(d[0], d[1]) for m in same_app.values() for d in m.dependencies}
            firsts = [k for k in same_app if k not in needed]
        if not firsts:
            return (app_label, name)  # reported below: not installed / not found
        return sorted(firsts)[0]

    def _replace(self, key: Key, replaced: list[Key]) -> None:
        """As Django: a squashed migration stands for the migrations it replaces when all of
        them or none are applied; when only some are, the replaced ones are used."""
        statuses = [old in self.applied for old in replaced]
        if all(statuses):
            self.applied.add(key)
        else:
            self.applied.discard(key)
        if self.replace_migrations and (all(statuses) or not any(statuses)):
            self.graph.remove_replaced_nodes(key, replaced)
        else:
            self.graph.remove_replacement_node(key, replaced)

    def _load_app(self, app_label: str, module_name: str) -> dict[Key, Migration]:
        _forget(module_name)
        try:
            package = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                self.unmigrated_apps.add(app_label)
                return {}
            raise
        paths = getattr(package, "__path__", None)
        if paths is None:
            raise BadMigrationError(f"{module_name} is a module, not a migrations package.")
        names = sorted(
            info.name
            for info in pkgutil.iter_modules(list(paths))
            if not info.ispkg and not info.name.startswith(("_", "~"))
        )
        if not names:
            self.unmigrated_apps.add(app_label)
        found: dict[Key, Migration] = {}
        for name in names:
            module = _import_migration(f"{module_name}.{name}", Path(paths[0]) / f"{name}.py")
            cls = getattr(module, "Migration", None)
            if not (isinstance(cls, type) and issubclass(cls, Migration)):
                raise BadMigrationError(
                    f"Migration file {Path(paths[0]) / (name + '.py')} has no Migration class "
                    "(class Migration(migrations.Migration): ...)."
                )
            found[(app_label, name)] = cls(name, app_label)
        return found

    # --- questions ----------------------------------------------------------------------------

    def detect_conflicts(self) -> dict[str, list[str]]:
        """{app_label: [leaf names]} for apps with more than one leaf migration."""
        conflicts: dict[str, list[str]] = {}
        for app in self.graph.app_labels():
            leaves = self.graph.leaf_nodes(app)
            if len(leaves) > 1:
                conflicts[app] = [name for _, name in leaves]
        return conflicts

    def check_conflicts(self) -> None:
        conflicts = self.detect_conflicts()
        if conflicts:
            details = "; ".join(f"{app}: {', '.join(names)}" for app, names in conflicts.items())
            raise ConflictError(
                f"Conflicting migrations (more than one leaf node in an app): {details}. "
                "Merge them with `djanco makemigrations --merge` (or make one depend on the other)."
            )

    def project_state(self, nodes: list[Key] | None = None) -> ProjectState:
        """The state after ``nodes`` (default: every migration) and their dependencies."""
        plan: list[Key] = []
        targets = nodes if nodes is not None else self.graph.leaf_nodes()
        for target in targets:
            for key in self.graph.forwards_plan(target):
                if key not in plan:
                    plan.append(key)
        state = ProjectState()
        for key in plan:
            state = self.graph.nodes[key].mutate_state(state)
        return state

    def resolve(self, app_label: str, prefix: str) -> Key:
        """The migration of ``app_label`` whose name is or starts with ``prefix``."""
        names = sorted(name for app, name in self.disk if app == app_label)
        if prefix in names:
            return (app_label, prefix)
        matches = [name for name in names if name.startswith(prefix)]
        if len(matches) == 1:
            return (app_label, matches[0])
        known = ", ".join(["zero", *names])
        if matches:
            raise NodeNotFoundError(
                f"More than one migration of {app_label} matches {prefix!r}: {', '.join(matches)}."
            )
        raise NodeNotFoundError(f"No migration {prefix!r} in {app_label}. Known: {known}.")


def _forget(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _import_migration(module_name: str, path: Path) -> object:
    try:
        return importlib.import_module(module_name)
    except SyntaxError as exc:
        raise BadMigrationError(
            f"Syntax error in migration file {exc.filename or path}, line {exc.lineno}: {exc.msg}"
        ) from exc
    except Exception as exc:
        line = None
        for frame in traceback.extract_tb(exc.__traceback__):
            if Path(frame.filename) == path:
                line = frame.lineno
        where = f"{path}, line {line}" if line is not None else str(path)
        raise BadMigrationError(
            f"Could not import migration file {where}: {type(exc).__name__}: {exc}"
        ) from exc
