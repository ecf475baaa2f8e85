"""Model operations: CreateModel, DeleteModel, RenameModel, AlterModelTable, AddIndex,
RemoveIndex."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.migrations.fieldspec import FieldSpec, deconstruct
from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.state import IndexSpec, ModelState

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
        self.options = options

    def deconstruct(self) -> dict[str, Any]:
        options = dict(self.options)
        if self.indexes:
            options["indexes"] = list(self.indexes)
        kwargs: dict[str, Any] = {"name": self.name, "fields": self.fields}
        if options:
            kwargs["options"] = options
        return kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        state.add_model(
            ModelState(
                app_label, self.name, dict(self.fields), dict(self.options), list(self.indexes)
            )
        )

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.create_table(to_state.apps.table(app_label, self.name))

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.drop_table(from_state.apps.table(app_label, self.name))

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
        editor.drop_table(from_state.apps.table(app_label, self.name))

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        editor.create_table(to_state.apps.table(app_label, self.name))

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

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        old = from_state.get_model(app_label, self.new_name).db_table
        new = to_state.get_model(app_label, self.old_name).db_table
        editor.rename_table(old, new)

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"


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
