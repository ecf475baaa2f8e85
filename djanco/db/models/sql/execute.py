"""Run compiled queries through `connections[alias]` and turn rows into instances."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.models.sql.compiler import Compiled, ModelPlan, get_compiled
from djanco.db.models.state import LOADED_DB, loaded_state_class

if TYPE_CHECKING:
    from djanco.db.backends import Params
    from djanco.db.backends.base import DatabaseWrapper
    from djanco.db.backends.handler import ConnectionHandler
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


def check_for_update(query: Query, wrapper: DatabaseWrapper, is_async: bool) -> None:
    """As Django: `select_for_update()` evaluated in autocommit mode is an error (its locks
    would be released at once) on backends that support it."""
    if query.for_update is None or not wrapper.features.has_select_for_update:
        return
    state = wrapper.async_state() if is_async else wrapper.sync_state()
    if state is None:
        from djanco.db.transaction import TransactionManagementError

        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )


def fetch(query: Query, kind: str, alias: str | None) -> tuple[Compiled, Rows]:
    wrapper, compiled, values = prepare(query, kind, alias)
    if query.for_update is not None:
        check_for_update(query, wrapper, False)
    return compiled, wrapper.execute(compiled.query, values).rows


async def afetch(query: Query, kind: str, alias: str | None) -> tuple[Compiled, Rows]:
    wrapper, compiled, values = prepare(query, kind, alias)
    if kind == "select":  # rows only go through the row builder, which just indexes them
        compiled.query.driver_rows = True
    if query.for_update is not None:
        check_for_update(query, wrapper, True)
    return compiled, (await wrapper.aexecute(compiled.query, values)).rows


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
