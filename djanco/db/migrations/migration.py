"""``Migration``: the class each migration file defines."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from djanco.db.migrations.operations.base import Operation
    from djanco.db.migrations.state import ProjectState


class Migration:
    """``dependencies``: (app_label, migration_name) pairs; ``operations``: in order;
    ``replaces``: the migrations a squashed migration stands for."""

    dependencies: ClassVar[list[tuple[str, str]]] = []
    replaces: ClassVar[list[tuple[str, str]]] = []
    """For a squashed migration: the migrations it stands for (``squashmigrations``)."""
    operations: ClassVar[list[Operation]] = []
    initial: ClassVar[bool | None] = None
    atomic: ClassVar[bool] = True

    def __init__(self, name: str, app_label: str) -> None:
        self.name = name
        self.app_label = app_label
        # Copies, so that a migration object never changes its class.
        self.dependencies = list(type(self).dependencies)  # type: ignore[misc]
        self.operations = list(type(self).operations)  # type: ignore[misc]
        self.replaces = [(app, name) for app, name in type(self).replaces]  # type: ignore[misc]

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name)

    def mutate_state(self, state: ProjectState) -> ProjectState:
        """A new state: ``state`` with this migration's operations applied."""
        new = state.clone()
        for operation in self.operations:
            operation.state_forwards(self.app_label, new)
        return new

    @property
    def reversible(self) -> bool:
        return all(op.reversible for op in self.operations)

    def __repr__(self) -> str:
        return f"<Migration {self.app_label}.{self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Migration) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def migration_number(name: str) -> int | None:
    """The number a migration name stands for: 4 for ``0004_x`` and for a squashed
    ``0001_squashed_0004_x`` (the last migration it replaces), None without a number."""
    squashed = re.search(r"_squashed_(\d+)", name)
    if squashed:
        return int(squashed.group(1))
    match = re.match(r"^(\d+)", name)
    return int(match.group(1)) if match else None


def swappable_dependency(value: str) -> tuple[str, str]:
    """The dependency on the first migration of the app that holds model ``value``
    (``"app_label.Model"``, e.g. a setting naming a swappable model), as in Django."""
    app_label, _, model = value.partition(".")
    if not app_label or not model:
        raise ValueError(f"{value!r} is not of the form 'app_label.ModelName'")
    return (app_label, "__first__")
