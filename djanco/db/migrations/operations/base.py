"""``Operation``: one step of a migration, on the state and on the database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from djanco.db.migrations.exceptions import IrreversibleError

if TYPE_CHECKING:
    from djanco.db.migrations.schema import SchemaEditor
    from djanco.db.migrations.state import ProjectState


class Operation:
    """Subclasses change the ``ProjectState`` (``state_forwards``) and the database
    (``database_forwards`` / ``database_backwards``, given the states before and after)."""

    reversible = True
    """Whether ``database_backwards`` can undo the operation."""
    destructive = False
    """Whether applying it loses data (dropped tables or columns)."""
    reduces_to_sql = True
    """Whether ``sqlmigrate`` can show it as SQL (RunPython cannot)."""

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        raise NotImplementedError

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        raise NotImplementedError

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        """Undo the operation: ``from_state`` is the state after it, ``to_state`` before."""
        raise IrreversibleError(f"{self.describe()} cannot be reversed.")

    def describe(self) -> str:
        return type(self).__name__

    def destroys_data_backwards(self) -> bool:
        """Whether reversing it loses data (e.g. reversing CreateModel drops the table)."""
        return False

    def deconstruct(self) -> dict[str, Any]:
        """The keyword arguments that rebuild the operation (for the migration writer)."""
        raise NotImplementedError

    def references_model(self, app_label: str, name: str) -> bool:
        return False

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.deconstruct().items())
        return f"<{type(self).__name__} {args}>"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.deconstruct() == other.deconstruct()

    __hash__ = object.__hash__
