"""`Model.objects.raw(sql, params)`: instances from hand-written SQL (parameters always bound)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from djanco.core.exceptions import FieldError
from djanco.db.models.sql.execute import wrapper_for
from djanco.db.models.state import loaded_state_class
from djanco.db.models.steps import Execute
from djanco.utils.flow import Flow, arun, run

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseWrapper, Result
    from djanco.db.models.base import Model

_M = TypeVar("_M", bound="Model")


class RawQuerySet(Generic[_M]):
    """Runs `sql` (with `%s` placeholders) on iteration; columns map to fields by column name,
    other columns become extra attributes. The primary key column must be selected."""

    def __init__(
        self, model: type[_M], sql: str, params: Sequence[object] = (), using: str | None = None
    ) -> None:
        self.model = model
        self.raw_query = sql
        self.params = list(params)
        self._db = using

    def _fetch(self) -> Flow[list[_M]]:
        wrapper = wrapper_for(self._db)
        result: Result = yield Execute(wrapper, self.raw_query, self.params)
        return self._build(wrapper, result)

    def _build(self, wrapper: DatabaseWrapper, result: Result) -> list[_M]:
        opts = self.model._meta
        by_column = {f.column: f for f in opts.concrete_fields}
        pk = opts.pk
        assert pk is not None
        columns = list(result.columns)
        if pk.column not in columns:
            raise FieldError(f"Raw query must include the primary key ({pk.column}).")
        names: list[str] = []
        converters: list[tuple[int, Any]] = []
        dialect = wrapper.dialect
        for i, column in enumerate(columns):
            field = by_column.get(column)
            if field is None:
                names.append(column)
                continue
            names.append(field.attname)
            process = opts.table.c[column].type._cached_result_processor(dialect, None)
            convert = field.db_converter(wrapper.ops)
            if process is not None or convert is not None:
                converters.append((i, _chain(process, convert)))
        state_class = loaded_state_class(wrapper.alias)
        out: list[_M] = []
        for row in result.rows:
            values = list(row)
            for i, conv in converters:
                if values[i] is not None:
                    values[i] = conv(values[i])
            obj = self.model.__new__(self.model)
            obj.__dict__.update(zip(names, values, strict=True))
            obj.__dict__["_state"] = state_class.__new__(state_class)
            out.append(obj)
        return out

    def __iter__(self) -> Iterator[_M]:
        return iter(run(self._fetch()))

    def __aiter__(self) -> AsyncIterator[_M]:
        async def rows() -> AsyncIterator[_M]:
            for obj in await arun(self._fetch()):
                yield obj

        return rows()

    def __repr__(self) -> str:
        return f"<RawQuerySet: {self.raw_query}>"


def _chain(first: Any, second: Any) -> Any:
    if first is None:
        return second
    if second is None:
        return first
    return lambda value: second(first(value))
