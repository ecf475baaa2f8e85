"""Migrations: files of operations, project state replay, autodetector, graph and executor.

Migration files import this package as ``from djanco.db import migrations, models``.
"""

from djanco.db.migrations.exceptions import (
    BadMigrationError,
    ConflictError,
    InconsistentMigrationHistory,
    IrreversibleError,
    MigrationError,
    NodeNotFoundError,
)
from djanco.db.migrations.migration import Migration, swappable_dependency
from djanco.db.migrations.operations import (
    AddConstraint,
    AddField,
    AddIndex,
    AlterField,
    AlterModelOptions,
    AlterModelTable,
    AlterUniqueTogether,
    CreateModel,
    DeleteModel,
    Operation,
    RemoveConstraint,
    RemoveField,
    RemoveIndex,
    RenameField,
    RenameModel,
    RunPython,
    RunSQL,
)

__all__ = [
    "AddConstraint",
    "AddField",
    "AddIndex",
    "AlterField",
    "AlterModelOptions",
    "AlterModelTable",
    "AlterUniqueTogether",
    "BadMigrationError",
    "ConflictError",
    "CreateModel",
    "DeleteModel",
    "InconsistentMigrationHistory",
    "IrreversibleError",
    "Migration",
    "MigrationError",
    "NodeNotFoundError",
    "Operation",
    "RemoveConstraint",
    "RemoveField",
    "RemoveIndex",
    "RenameField",
    "RenameModel",
    "RunPython",
    "RunSQL",
    "swappable_dependency",
]
