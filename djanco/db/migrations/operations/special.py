"""RunPython (with historical models) and RunSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.migrations.operations.base import Operation

if TYPE_CHECKING:
    from djanco.db.migrations.schema import SchemaEditor
    from djanco.db.migrations.state import ProjectState, StateApps

RunPythonFunction = Callable[["StateApps", "SchemaEditor"], object]
SQL = str | Sequence[str | tuple[str, Sequence[Any]]]


def noop(apps: StateApps, schema_editor: SchemaEditor) -> None:
    """A RunPython step that does nothing (``RunPython(forward, RunPython.noop)``)."""


class RunPython(Operation):
    """Run ``code(apps, schema_editor)``: ``apps.get_model("blog", "Author")`` is the model
    as it is at this point of the migrations, not today's class."""

    reduces_to_sql = False
    noop = staticmethod(noop)

    def __init__(
        self,
        code: RunPythonFunction,
        reverse_code: RunPythonFunction | None = None,
        *,
        atomic: bool | None = None,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        if not callable(code):
            raise TypeError("RunPython needs a function: RunPython(forward, backward).")
        self.code = code
        self.reverse_code = reverse_code
        self.atomic = atomic
        self.elidable = elidable

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        return self.reverse_code is not None

    def deconstruct(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"code": self.code}
        if self.reverse_code is not None:
            kwargs["reverse_code"] = self.reverse_code
        if self.atomic is not None:
            kwargs["atomic"] = self.atomic
        if self.elidable:
            kwargs["elidable"] = True
        return kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if not editor.collect_sql:
            self.code(from_state.apps, editor)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if self.reverse_code is None:
            super().database_backwards(app_label, editor, from_state, to_state)
            return
        if not editor.collect_sql:
            self.reverse_code(from_state.apps, editor)

    def describe(self) -> str:
        name = getattr(self.code, "__name__", "code")
        return f"Raw Python operation {name}"


class RunSQL(Operation):
    """Run SQL (a string, or a list of strings or ``(sql, params)`` pairs with ``%s``)."""

    noop = ""

    def __init__(
        self,
        sql: SQL,
        reverse_sql: SQL | None = None,
        *,
        elidable: bool = False,
    ) -> None:
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.elidable = elidable

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        return self.reverse_sql is not None

    def deconstruct(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"sql": self.sql}
        if self.reverse_sql is not None:
            kwargs["reverse_sql"] = self.reverse_sql
        if self.elidable:
            kwargs["elidable"] = True
        return kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        _run(editor, self.sql)

    def database_backwards(
        self, app_label: str, editor: SchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if self.reverse_sql is None:
            super().database_backwards(app_label, editor, from_state, to_state)
            return
        _run(editor, self.reverse_sql)

    def describe(self) -> str:
        return "Raw SQL operation"


def _run(editor: SchemaEditor, sql: SQL) -> None:
    statements = [sql] if isinstance(sql, str) else list(sql)
    for statement in statements:
        if isinstance(statement, str):
            if statement.strip():
                editor.execute(statement.strip())
        else:
            text, params = statement
            editor.execute(text, list(params))
