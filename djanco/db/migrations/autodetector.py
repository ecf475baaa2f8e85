"""``MigrationAutodetector``: the operations turning one ProjectState into another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djanco.db.migrations import operations as ops
from djanco.db.migrations.migration import Migration, migration_number
from djanco.db.migrations.questioner import NonInteractiveQuestioner

if TYPE_CHECKING:
    from djanco.db.migrations.fieldspec import FieldSpec
    from djanco.db.migrations.graph import MigrationGraph
    from djanco.db.migrations.state import ModelState, ProjectState

Key = tuple[str, str]


@dataclass
class _AppChanges:
    operations: list[ops.Operation] = field(default_factory=list)
    dependencies: set[Key] = field(default_factory=set)
    """Other apps' models this app's new migration needs (app_label, model_name_lower)."""


class MigrationAutodetector:
    def __init__(
        self,
        from_state: ProjectState,
        to_state: ProjectState,
        questioner: NonInteractiveQuestioner | None = None,
    ) -> None:
        self.from_state = from_state
        self.to_state = to_state
        self.questioner = questioner or NonInteractiveQuestioner()

    # --- public -------------------------------------------------------------------------------

    def changes(
        self,
        graph: MigrationGraph,
        app_labels: set[str] | None = None,
        migration_name: str | None = None,
    ) -> dict[str, list[Migration]]:
        """{app_label: [new Migration]} with names and dependencies filled in."""
        detected = self.detect()
        if app_labels is not None:
            detected = {a: c for a, c in detected.items() if a in app_labels}
        result: dict[str, list[Migration]] = {}
        for app in sorted(detected):
            changes = detected[app]
            if not changes.operations:
                continue
            leaf = graph.leaf_nodes(app)
            number = _next_number(leaf[0][1]) if leaf else 1
            dependencies = [leaf[0]] if leaf else []
            for dep_app, _model in sorted(changes.dependencies):
                if dep_app == app:
                    continue
                dep_leaf = graph.leaf_nodes(dep_app)
                if dep_leaf:
                    dep = dep_leaf[0]
                elif dep_app in detected and detected[dep_app].operations:
                    dep = (dep_app, f"0001_{_name_for(detected[dep_app].operations, True)}")
                else:
                    continue
                if dep not in dependencies:
                    dependencies.append(dep)
            name = migration_name or _name_for(changes.operations, not leaf)
            result[app] = [
                make_migration(
                    app,
                    f"{number:04d}_{name}",
                    changes.operations,
                    dependencies,
                    initial=not leaf,
                )
            ]
        return result

    def detect(self) -> dict[str, _AppChanges]:
        self.result: dict[str, _AppChanges] = {}
        old_keys = set(self.from_state.models)
        new_keys = set(self.to_state.models)
        added = sorted(new_keys - old_keys)
        removed = sorted(old_keys - new_keys)
        renamed: dict[Key, Key] = {}
        for new_key in added:
            new = self.to_state.models[new_key]
            for old_key in removed:
                old = self.from_state.models[old_key]
                if old_key in renamed.values() or old.app_label != new.app_label:
                    continue
                if old.fields == new.fields and self.questioner.ask_rename_model(
                    old.name, new.name
                ):
                    self._add(new.app_label, ops.RenameModel(old.name, new.name))
                    renamed[new_key] = old_key
                    break
        added = [k for k in added if k not in renamed]
        removed = [k for k in removed if k not in renamed.values()]
        for key in _creation_order(added, self.to_state):
            self._create_model(self.to_state.models[key])
        for key in sorted(new_keys & old_keys) + sorted(renamed):
            old_key = renamed.get(key, key)
            self._compare(self.from_state.models[old_key], self.to_state.models[key])
        for key in reversed(_creation_order(removed, self.from_state)):
            model = self.from_state.models[key]
            self._add(model.app_label, ops.DeleteModel(model.name))
        return self.result

    # --- helpers ------------------------------------------------------------------------------

    def _add(self, app: str, operation: ops.Operation, needs: FieldSpec | None = None) -> None:
        changes = self.result.setdefault(app, _AppChanges())
        changes.operations.append(operation)
        if needs is not None and needs.related_label:
            target_app, _, model = needs.related_label.partition(".")
            changes.dependencies.add((target_app, model))

    def _create_model(self, model: ModelState) -> None:
        options = {k: v for k, v in model.options.items()}
        if model.indexes:
            options["indexes"] = list(model.indexes)
        if model.constraints:
            options["constraints"] = list(model.constraints)
        op = ops.CreateModel(model.name, list(model.fields.items()), options)
        self._add(model.app_label, op)
        for spec in model.fields.values():
            if spec.related_label:
                target_app, _, name = spec.related_label.partition(".")
                self.result[model.app_label].dependencies.add((target_app, name))

    def _compare(self, old: ModelState, new: ModelState) -> None:
        app, name = new.app_label, new.name_lower
        if old.options.get("db_table") != new.options.get("db_table"):
            self._add(app, ops.AlterModelTable(new.name, new.options.get("db_table")))
        alterable = ops.AlterModelOptions.options_of
        if alterable(old.options) != alterable(new.options):
            self._add(app, ops.AlterModelOptions(new.name, alterable(new.options)))
        new_constraints = {c.name: c for c in new.constraints}
        old_constraints = {c.name: c for c in old.constraints}
        for constraint in old.constraints:
            if new_constraints.get(constraint.name) != constraint:
                self._add(app, ops.RemoveConstraint(name, constraint.name))
        old_together = set(old.options.get("unique_together", []))
        new_together = list(new.options.get("unique_together", []))
        removed = [f for f in old.fields if f not in new.fields]
        added = [f for f in new.fields if f not in old.fields]
        renamed: dict[str, str] = {}
        for new_name in added:
            for old_name in removed:
                if old_name in renamed.values():
                    continue
                if old.fields[old_name] == new.fields[new_name] and (
                    self.questioner.ask_rename_field(new.name, old_name, new_name)
                ):
                    renamed[new_name] = old_name
                    break
        dropped_indexes = [i for i in old.indexes if i not in new.indexes]
        for index in dropped_indexes:
            self._add(app, ops.RemoveIndex(name, index))
        for new_name, old_name in renamed.items():
            self._add(app, ops.RenameField(name, old_name, new_name))
        for field_name in added:
            if field_name in renamed:
                continue
            spec = new.fields[field_name]
            if not spec.is_m2m and not spec.kwargs.get("null") and "default" not in spec.kwargs:
                default = self.questioner.ask_not_null_default(new.name, field_name)
                self._add(app, ops.AddField(name, field_name, spec.replace(default=default)))
                self._add(app, ops.AlterField(name, field_name, spec))
            else:
                self._add(app, ops.AddField(name, field_name, spec), needs=spec)
            if spec.related_label:
                target_app, _, target = spec.related_label.partition(".")
                self.result[app].dependencies.add((target_app, target))
        for field_name in removed:
            if field_name not in renamed.values():
                self._add(app, ops.RemoveField(name, field_name))
        for field_name in new.fields:
            if field_name in old.fields and old.fields[field_name] != new.fields[field_name]:
                self._add(app, ops.AlterField(name, field_name, new.fields[field_name]))
        for index in new.indexes:
            if index not in old.indexes:
                self._add(app, ops.AddIndex(name, index))
        if old_together != set(new_together):
            self._add(app, ops.AlterUniqueTogether(new.name, new_together))
        for constraint in new.constraints:
            if old_constraints.get(constraint.name) != constraint:
                self._add(app, ops.AddConstraint(name, constraint))


def make_migration(
    app_label: str,
    name: str,
    operations: list[ops.Operation],
    dependencies: list[Key],
    *,
    initial: bool = False,
) -> Migration:
    attrs = {"operations": operations, "dependencies": dependencies, "initial": initial or None}
    cls: type[Migration] = type("Migration", (Migration,), attrs)
    return cls(name, app_label)


def _creation_order(keys: list[Key], state: ProjectState) -> list[Key]:
    """Models referenced by others first."""
    ordered: list[Key] = []
    pending = list(keys)
    while pending:
        for key in pending:
            targets = {
                tuple(spec.related_label.split(".", 1))
                for spec in state.models[key].fields.values()
                if spec.related_label
            }
            if not any(t in pending and t != key for t in targets):
                ordered.append(key)
                pending.remove(key)
                break
        else:  # a cycle: keep the given order
            ordered += pending
            break
    return ordered


def _next_number(name: str) -> int:
    return (migration_number(name) or 0) + 1


def _name_for(operations: list[ops.Operation], initial: bool) -> str:
    if initial:
        return "initial"
    fragments: list[str] = []
    for op in operations:
        fragment = _fragment(op)
        if fragment is None:
            return "auto"
        fragments.append(fragment)
    name = "_".join(fragments)
    return name if len(name) <= 52 else "_".join(fragments[:1]) + "_and_more"


def _fragment(op: ops.Operation) -> str | None:
    if isinstance(op, ops.CreateModel):
        return op.name.lower()
    if isinstance(op, ops.DeleteModel):
        return f"delete_{op.name.lower()}"
    if isinstance(op, ops.RenameModel):
        return f"rename_{op.old_name.lower()}_{op.new_name.lower()}"
    if isinstance(op, ops.AddField):
        return f"{op.model_name}_{op.name}"
    if isinstance(op, ops.RemoveField):
        return f"remove_{op.model_name}_{op.name}"
    if isinstance(op, ops.AlterField):
        return f"alter_{op.model_name}_{op.name}"
    if isinstance(op, ops.RenameField):
        return f"rename_{op.old_name}_{op.model_name}_{op.new_name}"
    if isinstance(op, ops.AddConstraint):
        return f"{op.model_name}_{op.constraint.name}"
    if isinstance(op, ops.RemoveConstraint):
        return f"remove_{op.model_name}_{op.constraint.name}"
    if isinstance(op, ops.AlterModelOptions):
        return f"alter_{op.name.lower()}_options"
    if isinstance(op, ops.AlterUniqueTogether):
        return f"alter_{op.name.lower()}_unique_together"
    if isinstance(op, ops.AddIndex | ops.RemoveIndex):
        verb = "add" if isinstance(op, ops.AddIndex) else "remove"
        return f"{op.model_name}_{verb}_index"
    return None
