"""Model operations: CreateModel, DeleteModel, RenameModel, AlterModelTable,
AlterModelOptions, AlterUniqueTogether, AddIndex, RemoveIndex, AddConstraint,
RemoveConstraint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.migrations.fieldspec import FieldSpec, deconstruct
from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.state import ConstraintSpec, IndexSpec, ModelState

if TYPE_CHECKING:
    from djanco.db.migrations.schema import SchemaEditor
    from djanco.db.migrations.state import ProjectState
    from djanco.db.models.fields.base import Field


def as_spec(field: Field[Any] | FieldSpec, app_label: str | None = None) -> FieldSpec:
    return field if isinstance(field, FieldSpec) else deconstruct(field, app_label=app_label)


def as_index_spec(index: Any) -> IndexSpec:
    if isinstance(index, IndexSpec):
        return index
    return IndexSpec(tuple(index.fields), getattr(index, "name", None))


class CreateModel(Operation):
    """Create a model's table (with its indexes)."""

    def __init__(
        self,
        name: str,
        fields: Sequence[tuple[str, Field[Any] | FieldSpec]],
        options: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.fields = [(n, as_spec(f)) for n, f in fields]
        options = dict(options or {})
        self.indexes = [as_index_spec(i) for i in options.pop("indexes", [])]
        self.constraints = [ConstraintSpec.of(c) for c in options.pop("constraints", [])]
        self.options = options

    def deconstruct(self) -> dict[str, Any]:
        options = dict(self.options)
        if self.indexes:
            options["indexes"] = list(self.indexes)
        if self.constraints:
            options["constraints"] = list(self.constraints)
        kwargs: dict[str, Any] = {"name": self.name, "fields": self.fields}
        if options:
            kwargs["options"] = options
        return kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.add_model(
            ModelState(
                app_label,
                self.name,
                dict(self.fields),
                dict(self.options),
                list(self.indexes),
                list(self.constraints),
            )
        )

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        create_with_join_tables(editor, to_state, app_label, self.name)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        drop_with_join_tables(editor, from_state, app_label, self.name)

    def destroys_data_backwards(self) -> bool:
        return True

    def describe(self) -> str:
        return f"Create model {self.name}"

    def references_model(self, app_label: str, name: str) -> bool:
        label = f"{app_label}.{name}".lower()
        return self.name.lower() == name.lower() or any(
            f.related_label == label for _, f in self.fields
        )


class DeleteModel(Operation):
    """Drop a model's table (its rows are lost; reversing recreates it empty)."""

    destructive = True

    def __init__(self, name: str) -> None:
        self.name = name

    def deconstruct(self) -> dict[str, Any]:
        return {"name": self.name}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.remove_model(app_label, self.name)

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        drop_with_join_tables(editor, from_state, app_label, self.name)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        create_with_join_tables(editor, to_state, app_label, self.name)

    def describe(self) -> str:
        return f"Delete model {self.name}"


class RenameModel(Operation):
    """Rename a model (and its table, unless ``db_table`` is set explicitly)."""

    def __init__(self, old_name: str, new_name: str) -> None:
        self.old_name = old_name
        self.new_name = new_name

    def deconstruct(self) -> dict[str, Any]:
        return {"old_name": self.old_name, "new_name": self.new_name}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        _rename_model_state(state, app_label, self.old_name, self.new_name)

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        old = from_state.get_model(app_label, self.old_name).db_table
        new = to_state.get_model(app_label, self.new_name).db_table
        editor.rename_table(old, new)
        sync_join_tables(editor, from_state, to_state, {self.old_name: self.new_name}, app_label)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        old = from_state.get_model(app_label, self.new_name).db_table
        new = to_state.get_model(app_label, self.old_name).db_table
        editor.rename_table(old, new)
        sync_join_tables(editor, from_state, to_state, {self.new_name: self.old_name}, app_label)

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"


def create_with_join_tables(
    editor: SchemaEditor, state: ProjectState, app_label: str, name: str
) -> None:
    editor.create_table(state.apps.table(app_label, name))
    for table in state.apps.join_tables(app_label, name).values():
        editor.create_table(table)


def drop_with_join_tables(
    editor: SchemaEditor, state: ProjectState, app_label: str, name: str
) -> None:
    for table in state.apps.join_tables(app_label, name).values():
        editor.drop_table(table)
    editor.drop_table(state.apps.table(app_label, name))


def sync_join_tables(
    editor: SchemaEditor,
    before: ProjectState,
    after: ProjectState,
    renamed_models: dict[str, str] | None = None,
    app_label: str | None = None,
    renamed_fields: dict[tuple[str, str, str], str] | None = None,
) -> None:
    """Rename the automatic join tables (and their columns) whose names changed between two
    states: after a model, table or field rename (also of the models they point at). The join
    rows stay."""
    models = {k.lower(): v.lower() for k, v in (renamed_models or {}).items()}
    for (app, model_name), model in before.models.items():
        if not any(spec.auto_through for spec in model.fields.values()):
            continue
        new_model = models.get(model_name, model_name) if app == app_label else model_name
        for field_name, old_table in before.apps.join_tables(app, model_name).items():
            new_field = (renamed_fields or {}).get((app, model_name, field_name), field_name)
            try:
                new_table = after.apps.join_table(app, new_model, new_field)
            except Exception:  # the field or model is gone in the other state
                continue
            if new_table is None:
                continue
            names = ([c.name for c in old_table.columns], old_table.name)
            if names != ([c.name for c in new_table.columns], new_table.name):
                editor.rename_join_table(old_table, new_table)


def _rename_model_state(state: ProjectState, app_label: str, old: str, new: str) -> None:
    model = state.remove_model(app_label, old)
    model.name = new
    old_label, new_label = f"{app_label}.{old}".lower(), f"{app_label}.{new}"
    for other in [*state.models.values(), model]:
        for name, spec in list(other.fields.items()):
            if spec.related_label == old_label:
                other.fields[name] = spec.replace(to=new_label)
    state.add_model(model)


class AlterModelTable(Operation):
    """Change a model's ``db_table`` (None: back to the automatic name)."""

    def __init__(self, name: str, table: str | None) -> None:
        self.name = name
        self.table = table

    def deconstruct(self) -> dict[str, Any]:
        return {"name": self.name, "table": self.table}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.name)
        if self.table is None:
            model.options.pop("db_table", None)
        else:
            model.options["db_table"] = self.table
        state.changed()

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.rename_table(
            from_state.get_model(app_label, self.name).db_table,
            to_state.get_model(app_label, self.name).db_table,
        )
        sync_join_tables(editor, from_state, to_state)

    database_backwards = database_forwards

    def describe(self) -> str:
        return f"Rename table for {self.name} to {self.table or '(default)'}"


class _IndexOperation(Operation):
    model_name: str

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.sync_indexes(
            from_state.apps.table(app_label, self.model_name),
            to_state.apps.table(app_label, self.model_name),
        )

    database_backwards = database_forwards


class AddIndex(_IndexOperation):
    def __init__(self, model_name: str, index: Any) -> None:
        self.model_name = model_name
        self.index = as_index_spec(index)

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "index": self.index}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.get_model(app_label, self.model_name).indexes.append(self.index)
        state.changed()

    def describe(self) -> str:
        name = self.index.name or ", ".join(self.index.fields)
        return f"Create index {name} on {self.model_name}"


class RemoveIndex(_IndexOperation):
    def __init__(self, model_name: str, index: Any) -> None:
        self.model_name = model_name
        self.index = as_index_spec(index)

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "index": self.index}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.model_name)
        model.indexes = [i for i in model.indexes if i != self.index]
        state.changed()

    def describe(self) -> str:
        name = self.index.name or ", ".join(self.index.fields)
        return f"Remove index {name} from {self.model_name}"


# Meta options that change no schema: AlterModelOptions only updates the state.
ALTERABLE_OPTIONS = ("ordering", "verbose_name", "verbose_name_plural")


class AlterModelOptions(Operation):
    """Change Meta options that have no effect on the schema (``ordering``, ``verbose_name``,
    ``verbose_name_plural``): only the state changes, no SQL is run."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name = name
        self.options = self.options_of(options)

    @staticmethod
    def options_of(options: dict[str, Any]) -> dict[str, Any]:
        """The schema-free options among ``options``."""
        return {k: options[k] for k in ALTERABLE_OPTIONS if k in options}

    def deconstruct(self) -> dict[str, Any]:
        return {"name": self.name, "options": self.options}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.name)
        for key in ALTERABLE_OPTIONS:
            if key in self.options:
                model.options[key] = self.options[key]
            else:
                model.options.pop(key, None)
        state.changed()

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        pass

    database_backwards = database_forwards

    def describe(self) -> str:
        return f"Change Meta options on {self.name}"


class AlterUniqueTogether(Operation):
    """Change ``Meta.unique_together`` (a list of field-name tuples; empty: none)."""

    def __init__(self, name: str, unique_together: Sequence[Sequence[str]]) -> None:
        self.name = name
        self.unique_together = [tuple(names) for names in unique_together]

    def deconstruct(self) -> dict[str, Any]:
        return {"name": self.name, "unique_together": self.unique_together}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.name)
        if self.unique_together:
            model.options["unique_together"] = list(self.unique_together)
        else:
            model.options.pop("unique_together", None)
        state.changed()

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.sync_unique_together(
            from_state.apps.table(app_label, self.name), to_state.apps.table(app_label, self.name)
        )

    database_backwards = database_forwards

    def describe(self) -> str:
        return f"Alter unique_together for {self.name} ({len(self.unique_together)} constraint(s))"


class _ConstraintOperation(Operation):
    model_name: str
    constraint: ConstraintSpec

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name = model_name
        self.constraint = ConstraintSpec.of(constraint)

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "constraint": self.constraint}

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.sync_constraints(
            from_state.apps.table(app_label, self.model_name),
            to_state.apps.table(app_label, self.model_name),
        )

    database_backwards = database_forwards


class AddConstraint(_ConstraintOperation):
    """Add a UniqueConstraint (a partial unique index with ``condition=``) or CheckConstraint.
    Fails if existing rows violate it."""

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.get_model(app_label, self.model_name).constraints.append(self.constraint)
        state.changed()

    def describe(self) -> str:
        return f"Create constraint {self.constraint.name} on {self.model_name}"


class RemoveConstraint(_ConstraintOperation):
    """Drop a constraint by name (``constraint`` may be the constraint or just its name)."""

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name = model_name
        self.constraint = (
            ConstraintSpec("", constraint)
            if isinstance(constraint, str)
            else ConstraintSpec.of(constraint)
        )

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "constraint": self.constraint.name}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.model_name)
        model.constraints = [c for c in model.constraints if c.name != self.constraint.name]
        state.changed()

    def describe(self) -> str:
        return f"Remove constraint {self.constraint.name} from {self.model_name}"
