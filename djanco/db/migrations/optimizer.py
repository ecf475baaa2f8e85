"""``optimize(operations, app_label)``: fewer operations with the same end state, for
``squashmigrations``.

As Django's optimizer: each operation is tried against each later one; a pair either reduces
to new operations (``CreateModel`` absorbs later changes to its model, ``CreateModel`` then
``DeleteModel`` vanish, successive changes to one field keep the last), or the later one can
move across (they touch different models or fields), or it blocks. ``RunPython`` and
``RunSQL`` block everything: what they do is unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.db.migrations import operations as ops
from djanco.db.migrations.exceptions import MigrationError
from djanco.db.migrations.state import ModelState, ProjectState

if TYPE_CHECKING:
    from djanco.db.migrations.fieldspec import FieldSpec

Reduced = list[ops.Operation] | bool
"""New operations replacing the pair, or whether the second can move across the first."""

_FIELD_OPS = (ops.AddField, ops.RemoveField, ops.AlterField, ops.RenameField)
# Operations on one model that CreateModel can absorb by replaying them on its state.
_MODEL_OPS = (
    ops.AddField,
    ops.AlterField,
    ops.RenameField,
    ops.RemoveField,
    ops.AlterModelOptions,
    ops.AlterModelTable,
    ops.AlterUniqueTogether,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
)


def optimize(operations: list[ops.Operation], app_label: str) -> list[ops.Operation]:
    """Reduce until nothing changes."""
    current = list(operations)
    while True:
        reduced = _optimize_once(current, app_label)
        if len(reduced) == len(current):  # every reduction removes at least one operation
            return reduced
        current = reduced


def _optimize_once(operations: list[ops.Operation], app_label: str) -> list[ops.Operation]:
    result: list[ops.Operation] = []
    for i, operation in enumerate(operations):
        moves_right = True
        for j, other in enumerate(operations[i + 1 :]):
            reduced = reduce(operation, other, app_label)
            if isinstance(reduced, list):
                between = operations[i + 1 : i + j + 1]
                if moves_right:
                    result += [*between, *reduced]
                elif all(reduce(op, other, app_label) is True for op in between):
                    result += [*reduced, *between]
                else:
                    result.append(operation)
                    break
                return result + operations[i + j + 2 :]
            if not reduced:
                moves_right = False
        else:
            result.append(operation)
    return result


def reduce(first: ops.Operation, second: ops.Operation, app_label: str) -> Reduced:
    """What ``first`` followed by ``second`` becomes (see ``Reduced``)."""
    if isinstance(first, ops.CreateModel):
        return _reduce_create(first, second, app_label)
    if isinstance(first, _FIELD_OPS) and isinstance(second, _FIELD_OPS):
        same_model = first.model_name.lower() == second.model_name.lower()
        if same_model and _field_name_after(first) == second.name:
            return _reduce_fields(first, second)
    return not _interact(first, second, app_label)


def _reduce_create(first: ops.CreateModel, second: ops.Operation, app_label: str) -> Reduced:
    name = first.name.lower()
    if isinstance(second, ops.DeleteModel) and second.name.lower() == name:
        return []
    if isinstance(second, _MODEL_OPS) and _model_of(second).lower() == name:
        if isinstance(second, ops.RemoveField) and _mentions_field(first, second.name):
            return False
        folded = _fold(first, second, app_label)
        return [folded] if folded is not None else False
    return not _interact(first, second, app_label)


def _fold(
    create: ops.CreateModel, operation: ops.Operation, app_label: str
) -> ops.CreateModel | None:
    """``create`` with ``operation`` replayed on its model (None if that fails)."""
    state = ProjectState()
    create.state_forwards(app_label, state)
    try:
        operation.state_forwards(app_label, state)
    except (MigrationError, KeyError):
        return None
    return _create_from(state.get_model(app_label, create.name))


def _create_from(model: ModelState) -> ops.CreateModel:
    options = dict(model.options)
    if model.indexes:
        options["indexes"] = list(model.indexes)
    if model.constraints:
        options["constraints"] = list(model.constraints)
    return ops.CreateModel(model.name, list(model.fields.items()), options)


def _mentions_field(create: ops.CreateModel, field: str) -> bool:
    """Whether an index, constraint or option of the model names ``field``."""
    names: set[str] = set()
    for index in create.indexes:
        names.update(f.lstrip("-") for f in index.fields)
    for constraint in create.constraints:
        names.update(constraint.fields)
        if constraint.condition is not None:
            return True  # a condition may name any field
    for together in create.options.get("unique_together", []):
        names.update(together)
    names.update(str(f).lstrip("-") for f in create.options.get("ordering", []))
    return field in names


def _field_name_after(operation: ops.Operation) -> str:
    if isinstance(operation, ops.RenameField):
        return operation.new_name
    return str(getattr(operation, "name", ""))


def _reduce_fields(first: ops.Operation, second: ops.Operation) -> Reduced:
    """Two operations on the same field (``second`` names the field as ``first`` left it)."""
    if isinstance(first, ops.AddField):
        if isinstance(second, ops.AlterField):
            return [ops.AddField(first.model_name, first.name, second.field)]
        if isinstance(second, ops.RemoveField):
            return []
        if isinstance(second, ops.RenameField):
            return [ops.AddField(first.model_name, second.new_name, first.field)]
    if isinstance(first, ops.AlterField) and isinstance(second, ops.AlterField | ops.RemoveField):
        return [second]
    if isinstance(first, ops.RenameField):
        if isinstance(second, ops.RenameField):
            if first.old_name == second.new_name:
                return []
            return [ops.RenameField(first.model_name, first.old_name, second.new_name)]
        if isinstance(second, ops.RemoveField):
            return [ops.RemoveField(first.model_name, first.old_name)]
    return False


def _model_of(operation: ops.Operation) -> str:
    return str(getattr(operation, "model_name", None) or getattr(operation, "name", ""))


def _own(operation: ops.Operation, app_label: str) -> set[tuple[str, str]]:
    """The models an operation changes: (app_label, name lower)."""
    if isinstance(operation, ops.RenameModel):
        names = [operation.old_name, operation.new_name]
    else:
        names = [_model_of(operation)]
    return {(app_label, name.lower()) for name in names}


def _refs(operation: ops.Operation) -> set[tuple[str, str]]:
    """The models an operation's fields point at (relations and ``through=`` models)."""
    models: set[tuple[str, str]] = set()
    for spec in _specs(operation):
        through = spec.kwargs.get("through")
        for label in (spec.related_label, through.lower() if isinstance(through, str) else None):
            if label:
                target_app, _, target = label.partition(".")
                models.add((target_app, target))
    return models


def _specs(operation: ops.Operation) -> list[FieldSpec]:
    if isinstance(operation, ops.CreateModel):
        return [spec for _, spec in operation.fields]
    if isinstance(operation, ops.AddField | ops.AlterField):
        return [operation.field]
    return []


# Changes to a model that relations pointing at it do not notice.
_INVISIBLE_TO_RELATIONS = (
    ops.AddField,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
    ops.AlterModelOptions,
    ops.AlterUniqueTogether,
)


def _interact(first: ops.Operation, second: ops.Operation, app_label: str) -> bool:
    """Whether the order of the two operations matters."""
    if not _is_known(first) or not _is_known(second):
        return True
    first_own, second_own = _own(first, app_label), _own(second, app_label)
    if first_own & second_own:
        if not (isinstance(first, _FIELD_OPS) and isinstance(second, _FIELD_OPS)):
            return True
        if {first.name, _field_name_after(first)} & {second.name, _field_name_after(second)}:
            return True
    for one, other_own, other in ((first, second_own, second), (second, first_own, first)):
        if _refs(one) & other_own and _visible_to_relations(other, one):
            return True
    return False


def _visible_to_relations(change: ops.Operation, relating: ops.Operation) -> bool:
    """Whether relations in ``relating`` notice ``change`` to the model they point at."""
    if isinstance(change, _INVISIBLE_TO_RELATIONS):
        return False
    if isinstance(change, ops.AlterField) and not change.field.kwargs.get("primary_key"):
        # Only the primary key (or a ``to_field=``) is what a relation points at.
        return any("to_field" in spec.kwargs for spec in _specs(relating))
    return True


def _is_known(operation: ops.Operation) -> bool:
    return type(operation) in _KNOWN


_KNOWN = {*_MODEL_OPS, ops.CreateModel, ops.DeleteModel, ops.RenameModel}
