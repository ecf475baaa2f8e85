"""Migration operations: on the project state and, through Alembic, on the database."""

from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.operations.fields import AddField, AlterField, RemoveField, RenameField
from djanco.db.migrations.operations.models import (
    AddConstraint,
    AddIndex,
    AlterModelOptions,
    AlterModelTable,
    AlterUniqueTogether,
    CreateModel,
    DeleteModel,
    RemoveConstraint,
    RemoveIndex,
    RenameModel,
)
from djanco.db.migrations.operations.special import RunPython, RunSQL

__all__ = [
    "AddConstraint",
    "AddField",
    "AddIndex",
    "AlterField",
    "AlterModelOptions",
    "AlterModelTable",
    "AlterUniqueTogether",
    "CreateModel",
    "DeleteModel",
    "Operation",
    "RemoveConstraint",
    "RemoveField",
    "RemoveIndex",
    "RenameField",
    "RenameModel",
    "RunPython",
    "RunSQL",
]
