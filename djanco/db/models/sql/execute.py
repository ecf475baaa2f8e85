"""Run compiled queries through `connections[alias]` and turn rows into instances."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.models.sql.compiler import Compiled, ModelPlan, get_compiled
from djanco.db.models.state import loaded_state_class

if TYPE_CHECKING:
    from djanco.db.backends.base import DatabaseWrapper
    from djanco.db.backends.compiled import Params
    from djanco.db.backends.handler import ConnectionHandler
    from djanco.db.models.base import Model
    from djanco.db.models.sql.query import Query

Row = Sequence[object]
Rows = Sequence[Row]


def wrapper_for(alias: str | None) -> DatabaseWrapper:
    handler = _handler
    if handler is None:
        handler = _load_handler()
    return handler[alias or "default"]


def _load_handler() -> ConnectionHandler:
    global _handler
    from djanco.db import connections

    _handler = connections
    return connections


_handler: ConnectionHandler | None = None  # djanco.db.connections, imported on first use


def prepare(query: Query, kind: str, alias: str | None) -> tuple[DatabaseWrapper, Compiled, Params]:
    wrapper = wrapper_for(alias)
    compiled = get_compiled(query, kind, wrapper)
    return wrapper, compiled, compiled.values(query, query.params(wrapper.vendor))


def fetch(query: Query, kind: str, alias: str | None) -> tuple[Compiled, Rows]:
    wrapper, compiled, values = prepare(query, kind, alias)
    return compiled, wrapper.execute(compiled.query, values).rows


async def afetch(query: Query, kind: str, alias: str | None) -> tuple[Compiled, Rows]:
    wrapper, compiled, values = prepare(query, kind, alias)
    return compiled, (await wrapper.aexecute(compiled.query, values)).rows


def build_instances(plan: ModelPlan, rows: Rows, db: str) -> list[Any]:
    """Rows → model instances (and their select_related objects), as fast as Python allows."""
    if plan.related:
        out: list[Model] = []
        for row in rows:
            built = _build_one(plan, row, db)
            assert built is not None
            out.append(built)
        return out
    builder = plan.builder
    if builder is None:
        builder = plan.builder = _make_builder(plan)
    return builder(rows, plan.model, loaded_state_class(db))


def _make_builder(plan: ModelPlan) -> Callable[..., list[Any]]:
    """Generate a loop that builds each instance's __dict__ with one dict display.

    Field attnames are Python identifiers checked by the model metaclass, so embedding them
    with repr() is safe; converters are passed in as arguments, never as source text.
    """
    converters = dict(plan.converters)
    items = []
    for i, name in enumerate(plan.attnames):
        if not name.isidentifier():
            raise ValueError(f"unexpected attribute name {name!r}")
        value = f"row[{i}]"
        if i in converters:
            value = f"(None if row[{i}] is None else c{i}(row[{i}]))"
        items.append(f"{name!r}: {value}")
    items.append("'_state': new_state(State)")
    params = "".join(f", c{i}" for i in converters)
    source = (
        f"def build(rows, model, State{params}):\n"
        "    new = model.__new__\n"
        "    new_state = State.__new__\n"
        "    out = []\n"
        "    append = out.append\n"
        "    for row in rows:\n"
        "        obj = new(model)\n"
        f"        obj.__dict__ = {{{', '.join(items)}}}\n"
        "        append(obj)\n"
        "    return out\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<djanco row builder for {plan.model.__qualname__}>", "exec"), namespace)
    build = namespace["build"]
    if not converters:
        return build  # type: ignore[no-any-return]
    funcs = [converters[i] for i in sorted(converters)]
    return lambda rows, model, state: build(rows, model, state, *funcs)


def _build_one(plan: ModelPlan, row: Row, db: str) -> Model | None:
    values = list(row[plan.start : plan.stop])
    if values[plan.pk_index] is None:
        return None  # an outer join without a match
    for i, conv in plan.converters:
        value = values[i]
        if value is not None:
            values[i] = conv(value)
    model = plan.model
    obj = model.__new__(model)
    d = obj.__dict__
    d.update(zip(plan.attnames, values, strict=False))
    state = loaded_state_class(db).__new__(loaded_state_class(db))
    d["_state"] = state
    for sub in plan.related:
        state.fields_cache[sub.name] = _build_one(sub, row, db)
    return obj


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
