"""Field operations: AddField, RemoveField, AlterField, RenameField."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from djanco.db.migrations.exceptions import InvalidModelError
from djanco.db.migrations.fieldspec import FieldSpec
from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.operations.models import as_spec, sync_join_tables

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.migrations.schema import SchemaEditor
    from djanco.db.migrations.state import ProjectState
    from djanco.db.models.fields.base import Field


def _column(state: ProjectState, app_label: str, model: str, field: str) -> str:
    found = state.apps.get_model(app_label, model)._meta.get_field(field)
    return str(found.column)  # type: ignore[union-attr]


def _effective_default(spec: FieldSpec, ops: DatabaseOperations) -> object:
    """The default of a field being added, as the database takes it (for existing rows)."""
    if "default" not in spec.kwargs:
        return None
    field = spec.build()
    if "to" in spec.kwargs:
        return spec.kwargs["default"]
    value = field.get_default()
    return field.get_db_prep_value(value, ops) if value is not None else None


def _create_join(
    editor: SchemaEditor, state: ProjectState, app_label: str, model: str, field: str
) -> None:
    table = state.apps.join_table(app_label, model, field)
    if table is not None:
        editor.create_table(table)


def _drop_join(
    editor: SchemaEditor, state: ProjectState, app_label: str, model: str, field: str
) -> None:
    table = state.apps.join_table(app_label, model, field)
    if table is not None:
        editor.drop_table(table)


class _FieldOperation(Operation):
    model_name: str
    name: str

    def references_model(self, app_label: str, name: str) -> bool:
        return self.model_name.lower() == name.lower()

    def _tables(self, app_label: str, before: ProjectState, after: ProjectState) -> tuple[Any, Any]:
        return (
            before.apps.table(app_label, self.model_name),
            after.apps.table(app_label, self.model_name),
        )

    def _add(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        """Create the field as ``to_state`` has it: a column, or an M2M join table."""
        spec = to_state.get_model(app_label, self.model_name).get_field(self.name)
        if spec.is_m2m:
            _create_join(editor, to_state, app_label, self.model_name, self.name)
            return
        old, new = self._tables(app_label, from_state, to_state)
        column = _column(to_state, app_label, self.model_name, self.name)
        editor.add_column(old, new, column, _effective_default(spec, editor.connection.ops))

    def _remove(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        """Drop the field as ``from_state`` has it: a column, or an M2M join table."""
        if from_state.get_model(app_label, self.model_name).get_field(self.name).is_m2m:
            _drop_join(editor, from_state, app_label, self.model_name, self.name)
            return
        old, new = self._tables(app_label, from_state, to_state)
        editor.drop_column(old, new, _column(from_state, app_label, self.model_name, self.name))


class _SetField(_FieldOperation):
    """An operation that puts ``field`` in the model's state under ``name`` (add or alter)."""

    def __init__(self, model_name: str, name: str, field: Field[Any] | FieldSpec) -> None:
        self.model_name = model_name
        self.name = name
        self.field = as_spec(field)

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "name": self.name, "field": self.field}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.get_model(app_label, self.model_name).fields[self.name] = self.field
        state.changed()


class AddField(_SetField):
    """Add a column; existing rows get the field's default (NULL if it is nullable)."""

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        self._add(app_label, editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        self._remove(app_label, editor, from_state, to_state)

    def destroys_data_backwards(self) -> bool:
        return True

    def describe(self) -> str:
        return f"Add field {self.name} to {self.model_name}"


class RemoveField(_FieldOperation):
    """Drop a column (its values are lost; reversing adds it back with the default)."""

    destructive = True

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.get_model(app_label, self.model_name).fields.pop(self.name)
        state.changed()

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        self._remove(app_label, editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        self._add(app_label, editor, from_state, to_state)

    def describe(self) -> str:
        return f"Remove field {self.name} from {self.model_name}"


class AlterField(_SetField):
    """Change a field's type, nullability, length or index."""

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        was = from_state.get_model(app_label, self.model_name).get_field(self.name)
        now = to_state.get_model(app_label, self.model_name).get_field(self.name)
        if was.is_m2m or now.is_m2m:
            if was.auto_through and now.auto_through:
                sync_join_tables(editor, from_state, to_state)
                return
            if was.is_m2m != now.is_m2m or was.auto_through != now.auto_through:
                raise InvalidModelError(
                    f"Cannot alter {self.model_name}.{self.name} between a many-to-many and "
                    "another field, or to or from a through= model: remove it and add it back."
                )
            return
        old, new = self._tables(app_label, from_state, to_state)
        before = _column(from_state, app_label, self.model_name, self.name)
        after = _column(to_state, app_label, self.model_name, self.name)
        editor.alter_column(old, new, before, after if after != before else None)

    database_backwards = database_forwards

    def describe(self) -> str:
        return f"Alter field {self.name} on {self.model_name}"


class RenameField(_FieldOperation):
    """Rename a field and its column; the values stay."""

    def __init__(self, model_name: str, old_name: str, new_name: str) -> None:
        self.model_name = model_name
        self.old_name = old_name
        self.new_name = new_name
        self.name = old_name

    def deconstruct(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "old_name": self.old_name, "new_name": self.new_name}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model = state.get_model(app_label, self.model_name)
        model.fields = {
            (self.new_name if name == self.old_name else name): spec
            for name, spec in model.fields.items()
        }
        model.indexes = [
            type(i)(tuple(self._renamed(f) for f in i.fields), i.name) for i in model.indexes
        ]
        for key in ("ordering",):
            if key in model.options:
                model.options[key] = [self._renamed(f) for f in model.options[key]]
        model.constraints = [
            type(c)(c.kind, c.name, tuple(self._renamed(f) for f in c.fields), c.condition)
            for c in model.constraints
        ]
        if "unique_together" in model.options:
            model.options["unique_together"] = [
                tuple(self._renamed(f) for f in names) for names in model.options["unique_together"]
            ]
        state.changed()

    def _renamed(self, name: str) -> str:
        sign = "-" if name.startswith("-") else ""
        return sign + self.new_name if name.lstrip("-") == self.old_name else name

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if from_state.get_model(app_label, self.model_name).get_field(self.old_name).is_m2m:
            key = (app_label, self.model_name.lower(), self.old_name)
            sync_join_tables(editor, from_state, to_state, renamed_fields={key: self.new_name})
            return
        old, new = self._tables(app_label, from_state, to_state)
        before = _column(from_state, app_label, self.model_name, self.old_name)
        after = _column(to_state, app_label, self.model_name, self.new_name)
        editor.alter_column(old, new, before, after)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if from_state.get_model(app_label, self.model_name).get_field(self.new_name).is_m2m:
            key = (app_label, self.model_name.lower(), self.new_name)
            sync_join_tables(editor, from_state, to_state, renamed_fields={key: self.old_name})
            return
        old, new = self._tables(app_label, from_state, to_state)
        before = _column(from_state, app_label, self.model_name, self.new_name)
        after = _column(to_state, app_label, self.model_name, self.old_name)
        editor.alter_column(old, new, before, after)

    def describe(self) -> str:
        return f"Rename field {self.old_name} on {self.model_name} to {self.new_name}"
