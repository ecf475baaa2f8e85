"""Run compiled queries through `connections[alias]` and turn their rows into results.

Reading is written once, as flows (``djanco.utils.flow``) of `Execute` steps: the sync and
async APIs differ only in the driver that runs them.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db import DEFAULT_DB_ALIAS, connections
from djanco.db.backends import DatabaseWrapper
from djanco.db.models.sql.compiler import Compiled, ModelPlan, get_compiled, link_back
from djanco.db.models.sql.query import Query
from djanco.db.models.state import LOADED_DB, loaded_state_class
from djanco.db.models.steps import (
    Chunks,
    CloseStream,
    Execute,
    NextChunk,
    Stream,
    TransactionState,
)
from djanco.db.transaction import TransactionManagementError

if TYPE_CHECKING:
    from djanco.db.backends import Params
    from djanco.db.models.base import Model
    from djanco.utils.flow import Flow

Row = Sequence[object]
Rows = Sequence[Row]

# What a queryset's rows become (`QuerySet`, `values()`, `values_list()` and its forms).
MODEL = "model"
VALUES = "values"
VALUES_LIST = "values_list"
FLAT = "flat"
NAMED = "named"


def wrapper_for(alias: str | None) -> DatabaseWrapper:
    return connections[alias or DEFAULT_DB_ALIAS]


def prepare(query: Query, kind: str, alias: str | None) -> tuple[DatabaseWrapper, Compiled, Params]:
    wrapper = wrapper_for(alias)
    compiled = get_compiled(query, kind, wrapper)
    return wrapper, compiled, compiled.values(query, query.params(wrapper.ops))


def check_for_update(query: Query, wrapper: DatabaseWrapper) -> Flow[None]:
    """As Django: `select_for_update()` evaluated in autocommit mode is an error (its locks
    would be released at once) on backends that support it."""
    if query.for_update is None or not wrapper.features.has_select_for_update:
        return
    if (yield TransactionState(wrapper)) is None:
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )


def fetch(query: Query, kind: str, alias: str | None) -> Flow[tuple[Compiled, Rows]]:
    """The compiled form of `query` as `kind` and the rows it reads."""
    wrapper, compiled, values = prepare(query, kind, alias)
    if query.for_update is not None:
        yield from check_for_update(query, wrapper)
    result = yield Execute(wrapper, compiled.query, values)
    return compiled, result.rows


def fetch_results(query: Query, row_kind: str, alias: str | None) -> Flow[list[Any]]:
    """`query`'s rows as `row_kind` results (instances, dicts, tuples or bare values)."""
    if query.empty:  # none(): no query at all
        return []
    wrapper, compiled, values = prepare(query, "select" if row_kind == MODEL else "values", alias)
    if query.for_update is not None:
        yield from check_for_update(query, wrapper)
    result = yield Execute(wrapper, compiled.query, values)
    return results(row_kind, compiled, result.rows, wrapper.alias)


def fetch_instances(query: Query, alias: str | None) -> Flow[list[Model]]:
    """`query`'s rows as model instances."""
    return fetch_results(query, MODEL, alias)


def fetch_values(query: Query, names: tuple[str, ...], alias: str | None) -> Flow[list[Any]]:
    """The values of the fields (or paths) `names` of `query`'s rows: tuples, or bare values
    for one name."""
    values = query.clone()
    values.values_fields = names
    return (yield from fetch_results(values, FLAT if len(names) == 1 else VALUES_LIST, alias))


class RowStream:
    """A query's results read in chunks from a server-side cursor (`QuerySet.iterator()`):
    `next_rows()` is a flow giving the next chunk's results, or None after the last."""

    def __init__(
        self,
        query: Query,
        row_kind: str,
        alias: str | None,
        chunk_size: int,
        after: Callable[[list[Any]], Flow[None]] | None,
    ) -> None:
        kind = "select" if row_kind == MODEL else "values"
        self.wrapper, self.compiled, self.params = prepare(query, kind, alias)
        self.query = query
        self.row_kind = row_kind
        self.chunk_size = chunk_size
        self.after = after  # run on each chunk's results (prefetch_related)
        self.chunks: Chunks | None = None

    def next_rows(self) -> Flow[list[Any] | None]:
        wrapper = self.wrapper
        if self.chunks is None:
            yield from check_for_update(self.query, wrapper)
            self.chunks = yield Stream(wrapper, self.compiled.query, self.params, self.chunk_size)
        chunk = yield NextChunk(self.chunks)
        if chunk is None:
            return None
        rows = results(self.row_kind, self.compiled, chunk, wrapper.alias)
        if self.after is not None:
            yield from self.after(rows)
        return rows

    def close(self) -> Flow[None]:
        if self.chunks is not None:
            yield CloseStream(self.chunks)


MAX_GET_RESULTS = 21
"""get() reads at most this many rows, to say how many matched ("more than 20")."""


def one(model: type[Model], rows: list[Any]) -> Any:
    """The single row of a get(); `model.DoesNotExist` or `MultipleObjectsReturned` else."""
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise model.DoesNotExist(f"{model.__name__} matching query does not exist.")
    count = "more than 20" if len(rows) >= MAX_GET_RESULTS else str(len(rows))
    raise model.MultipleObjectsReturned(
        f"get() returned more than one {model.__name__} -- it returned {count}!"
    )


def results(row_kind: str, compiled: Compiled, rows: Rows, db: str) -> list[Any]:
    """Rows → instances (`MODEL`) or the values of `values()`/`values_list()`."""
    if row_kind == MODEL:
        plan = compiled.plan
        assert plan is not None
        instances = build_instances(plan, rows, db)
        if plan.links_back:
            link_back(plan, instances)
        return instances
    rows = convert_rows(compiled, rows)
    if row_kind == VALUES:
        names = compiled.columns
        return [dict(zip(names, row, strict=True)) for row in rows]
    if row_kind == FLAT:
        return [row[0] for row in rows]
    if row_kind == NAMED:
        fields = [n.replace("__", "_") for n in compiled.columns]
        row_class = collections.namedtuple("Row", fields)  # type: ignore[misc]
        return [row_class(*row) for row in rows]
    return [tuple(row) for row in rows]


def build_instances(plan: ModelPlan, rows: Rows, db: str) -> list[Any]:
    """Rows → model instances (and their select_related objects), as fast as Python allows."""
    builder = plan.builder
    if builder is None:
        builder = plan.builder = _make_builder(plan)
    return builder(rows, db, loaded_state_class(db))


def _make_builder(plan: ModelPlan) -> Callable[..., list[Any]]:
    """Generate a loop that builds each instance's __dict__ with one dict display, and the
    select_related objects under it (None when an outer join found no row).

    An instance gets no ModelState unless it caches select_related objects: the alias it
    came from goes in its __dict__ (`LOADED_DB`) and `Model._state` makes one on first use.

    Only generated identifiers and repr()'d attribute names (identifiers, checked here) are
    part of the source; models and converters are passed in the function's namespace.
    """
    namespace: dict[str, Any] = {}
    lines = _builder_lines(plan, "o", "        ", namespace)
    source = "\n".join(
        [
            "def build(rows, db, State):",
            "    new_state = State.__new__",
            "    out = []",
            "    append = out.append",
            "    for row in rows:",
            *lines,
            "        append(o)",
            "    return out",
            "",
        ]
    )
    exec(compile(source, f"<djanco row builder for {plan.model.__qualname__}>", "exec"), namespace)
    build: Callable[..., list[Any]] = namespace["build"]
    return build


def _builder_lines(plan: ModelPlan, var: str, indent: str, namespace: dict[str, Any]) -> list[str]:
    new_name = f"new_{var}"
    model_name = f"M_{var}"
    namespace[model_name] = plan.model
    namespace[new_name] = plan.model.__new__
    converters = dict(plan.converters)
    items = []
    for i, name in enumerate(plan.attnames):
        if not name.isidentifier():
            raise ValueError(f"unexpected attribute name {name!r}")
        at = plan.start + i
        value = f"row[{at}]"
        if i in converters:
            conv_name = f"C_{var}_{i}"
            namespace[conv_name] = converters[i]
            value = f"(None if row[{at}] is None else {conv_name}(row[{at}]))"
        items.append(f"{name!r}: {value}")
    state = f"s_{var}"
    lines = []
    if plan.related:  # a ModelState now, to hold the related objects
        items.append(f"'_state': {state}")
        lines.append(f"{indent}{state} = new_state(State)")
    else:
        items.append(f"{LOADED_DB!r}: db")
    lines += [
        f"{indent}{var} = {new_name}({model_name})",
        f"{indent}{var}.__dict__ = {{{', '.join(items)}}}",
    ]
    if plan.related:
        cached = []
        for k, sub in enumerate(plan.related):
            sub_var = f"{var}_{k}"
            lines += [
                f"{indent}if row[{sub.start + sub.pk_index}] is None:",
                f"{indent}    {sub_var} = None",
                f"{indent}else:",
                *_builder_lines(sub, sub_var, indent + "    ", namespace),
            ]
            cached.append(f"{sub.name!r}: {sub_var}")
        lines.append(f"{indent}{state}.fields_cache = {{{', '.join(cached)}}}")
    return lines


def convert_rows(compiled: Compiled, rows: Rows) -> Rows:
    converters = compiled.converters
    if not converters:
        return rows
    out: list[Row] = []
    for row in rows:
        values = list(row)
        for i, conv in converters:
            value = values[i]
            if value is not None:
                values[i] = conv(value)
        out.append(values)
    return out
