"""Migration operations: on the project state and, through Alembic, on the database."""

from djanco.db.migrations.operations.base import Operation
from djanco.db.migrations.operations.fields import AddField, AlterField, RemoveField, RenameField
from djanco.db.migrations.operations.models import (
    AddIndex,
    AlterModelTable,
    CreateModel,
    DeleteModel,
    RemoveIndex,
    RenameModel,
)
from djanco.db.migrations.operations.special import RunPython, RunSQL

__all__ = [
    "AddField",
    "AddIndex",
    "AlterField",
    "AlterModelTable",
    "CreateModel",
    "DeleteModel",
    "Operation",
    "RemoveField",
    "RemoveIndex",
    "RenameField",
    "RenameModel",
    "RunPython",
    "RunSQL",
]
