"""``MigrationExecutor``: plans and applies (or unapplies) migrations on one database."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from djanco.db.migrations.exceptions import IrreversibleError, MigrationError
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.recorder import MigrationRecorder
from djanco.db.migrations.schema import SchemaEditor
from djanco.db.migrations.state import ProjectState
from djanco.db.transaction import atomic as atomic_block

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseWrapper
    from djanco.db.migrations.migration import Migration

Key = tuple[str, str]
Target = tuple[str, str | None]
Plan = list[tuple["Migration", bool]]
"""(migration, backwards) steps in order."""
Progress = Callable[[str, "Migration"], None]
"""Called with ("apply" | "unapply") + ("_start" | "_success"), and the migration."""


class MigrationExecutor:
    def __init__(self, connection: DatabaseWrapper, loader: MigrationLoader | None = None) -> None:
        self.connection = connection
        self.loader = loader or MigrationLoader(connection)
        self.recorder = MigrationRecorder(connection)

    # --- planning -----------------------------------------------------------------------------

    def leaf_targets(self, app_label: str | None = None) -> list[Target]:
        return list(self.loader.graph.leaf_nodes(app_label))

    def migration_plan(self, targets: list[Target], *, clean_start: bool = False) -> Plan:
        if self._targets_replaced(targets):
            # As Django: a target that a squashed migration replaced is planned with the
            # replaced migrations, not the squashed one.
            self.loader = MigrationLoader(
                self.loader.connection, modules=self.loader.modules, replace_migrations=False
            )
        graph = self.loader.graph
        applied = set() if clean_start else set(self.loader.applied)
        plan: Plan = []
        for app_label, name in targets:
            if name is None:
                for root in graph.root_nodes(app_label):
                    if root in applied:
                        for key in graph.backwards_plan(root):
                            if key in applied:
                                plan.append((graph.nodes[key], True))
                                applied.discard(key)
            elif (app_label, name) in applied:
                later = sorted(c for c in graph.children[(app_label, name)] if c[0] == app_label)
                for child in later:
                    for key in graph.backwards_plan(child):
                        if key in applied:
                            plan.append((graph.nodes[key], True))
                            applied.discard(key)
            else:
                for key in graph.forwards_plan((app_label, name)):
                    if key not in applied:
                        plan.append((graph.nodes[key], False))
                        applied.add(key)
        return _unapply_in_replay_order(plan, graph.full_plan())

    def _targets_replaced(self, targets: list[Target]) -> bool:
        loader = self.loader
        return loader.replace_migrations and any(
            name is not None
            and (app, name) not in loader.graph.nodes
            and (app, name) in loader.disk
            for app, name in targets
        )

    def states_before(self) -> dict[Key, ProjectState]:
        """The state before each migration (replaying the whole graph in dependency order)."""
        states: dict[Key, ProjectState] = {}
        state = ProjectState()
        for key in self.loader.graph.full_plan():
            states[key] = state
            state = self.loader.graph.nodes[key].mutate_state(state)
        return states

    # --- running ------------------------------------------------------------------------------

    def migrate(
        self, targets: list[Target], *, fake: bool = False, progress: Progress | None = None
    ) -> Plan:
        self.loader.check_conflicts()
        plan = self.migration_plan(targets)
        for migration, backwards in plan:
            if backwards and not migration.reversible:
                bad = next(op for op in migration.operations if not op.reversible)
                raise IrreversibleError(
                    f"Migration {migration.app_label}.{migration.name} is not reversible: "
                    f"{bad.describe()} has no reverse."
                )
        self.recorder.ensure_table()
        states = self.states_before()
        for migration, backwards in plan:
            event = "unapply" if backwards else "apply"
            if progress:
                progress(f"{event}_start", migration)
            self._run(migration, states[migration.key], backwards=backwards, fake=fake)
            if progress:
                progress(f"{event}_success", migration)
        self.check_replacements()
        return plan

    def check_replacements(self) -> None:
        """Record a squashed migration as applied once all the migrations it replaces are (and
        forget it when they no longer all are), as Django does after migrating."""
        if not self.loader.replacements:
            return
        recorded = self.recorder.applied()
        for key, migration in sorted(self.loader.replacements.items()):
            all_applied = all(old in recorded for old in migration.replaces)
            if all_applied and key not in recorded:
                self.recorder.record_applied(*key)
            elif not all_applied and key in recorded:
                self.recorder.record_unapplied(*key)

    def apply_migration(
        self, migration: Migration, state: ProjectState, *, fake: bool = False
    ) -> None:
        self._run(migration, state, backwards=False, fake=fake)

    def unapply_migration(
        self, migration: Migration, state: ProjectState, *, fake: bool = False
    ) -> None:
        self._run(migration, state, backwards=True, fake=fake)

    def _run(
        self, migration: Migration, state: ProjectState, *, backwards: bool, fake: bool
    ) -> None:
        if fake:
            self._record(migration, backwards=backwards)
            return
        with self._transaction(migration.atomic):
            editor = SchemaEditor(self.connection)
            self._operations(migration, state, editor, backwards=backwards)
            self._record(migration, backwards=backwards)

    def _record(self, migration: Migration, *, backwards: bool) -> None:
        """Record the migration (and, for a squashed one, every migration it replaces)."""
        keys = [*migration.replaces, migration.key]
        if backwards:
            for app, name in keys:
                self.recorder.record_unapplied(app, name)
            return
        recorded = self.recorder.applied() if migration.replaces else set()
        for app, name in keys:
            if (app, name) not in recorded:
                self.recorder.record_applied(app, name)

    def _operations(
        self, migration: Migration, state: ProjectState, editor: SchemaEditor, *, backwards: bool
    ) -> None:
        states = [state]
        for op in migration.operations:
            new = states[-1].clone()
            op.state_forwards(migration.app_label, new)
            states.append(new)
        steps = list(enumerate(migration.operations))
        done: list[str] = []
        for index, op in reversed(steps) if backwards else steps:
            if editor.collect_sql:
                editor.collected.append(f"-- {op.describe()}")
            try:
                if backwards:
                    op.database_backwards(
                        migration.app_label, editor, states[index + 1], states[index]
                    )
                else:
                    op.database_forwards(
                        migration.app_label, editor, states[index], states[index + 1]
                    )
            except MigrationError:
                raise
            except Exception as exc:
                raise MigrationError(
                    self._failure(migration, index, op.describe(), done, exc)
                ) from exc
            done.append(op.describe())

    def _failure(
        self, migration: Migration, index: int, what: str, done: list[str], exc: Exception
    ) -> str:
        head = (
            f"Migration {migration.app_label}.{migration.name} failed at operation {index + 1} "
            f"({what}): {type(exc).__name__}: {exc}"
        )
        if self.connection.features.supports_transactional_ddl and migration.atomic:
            return head + " Nothing of this migration was applied (rolled back)."
        applied = "; ".join(done) if done else "nothing"
        return (
            f"{head} This database cannot roll back schema changes: already applied by this "
            f"migration: {applied}. Fix the database or the migration, then run migrate again."
        )

    @contextlib.contextmanager
    def _transaction(self, atomic: bool) -> Iterator[None]:
        if not atomic:
            yield
            return
        ops = self.connection.ops
        reenable: list[object] = []
        try:
            with atomic_block(using=self.connection.alias):
                tx = self.connection.sync_state()
                if (
                    ops.foreign_keys_off_sql is not None
                    and tx is not None
                    and len(tx.levels) == 1
                    and not tx.is_test
                ):
                    # Tables rebuilt for an ALTER (SQLite) need foreign keys off meanwhile,
                    # which only takes effect outside a transaction (as in Django).
                    self.connection.tx_sql(tx, "COMMIT")
                    self.connection.tx_sql(tx, ops.foreign_keys_off_sql)
                    reenable.append(tx.conn)
                    self.connection.tx_sql(tx, "BEGIN")
                yield
                if reenable and ops.foreign_key_check_sql is not None:
                    problems = self.connection.fetchall(ops.foreign_key_check_sql)
                    if problems:
                        raise MigrationError(
                            f"Foreign key violations after the migration: {problems[:5]!r}"
                        )
        finally:
            for conn in reenable:
                with contextlib.suppress(Exception):
                    conn.execute(ops.foreign_keys_on_sql)  # type: ignore[attr-defined]

    # --- SQL ----------------------------------------------------------------------------------

    def collect_sql(self, migration: Migration, *, backwards: bool = False) -> list[str]:
        state = self.states_before()[migration.key]
        editor = SchemaEditor(self.connection, collect_sql=True)
        self._operations(migration, state, editor, backwards=backwards)
        return editor.collected


def _unapply_in_replay_order(plan: Plan, replay: list[Key]) -> Plan:
    """Unapply each run of migrations in the reverse of the order ``states_before`` replays
    them (after a merge, two branches must be undone in the order they were applied)."""
    order = {key: index for index, key in enumerate(replay)}
    result: Plan = []
    run: Plan = []
    for entry in [*plan, None]:
        if entry is not None and entry[1]:
            run.append(entry)
            continue
        result += sorted(run, key=lambda e: -order.get(e[0].key, -1))
        run = []
        if entry is not None:
            result.append(entry)
    return result
