"""Instance writes: save (insert or update), refresh, bulk insert, queryset update, unique checks.

Each operation builds its SQLAlchemy statement once per shape (cached per database) and is
written once, as a flow of steps (``djanco.utils.flow``) that the sync API runs with ``run()``
and the async API with ``arun()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.core.exceptions import NON_FIELD_ERRORS, FieldError
from djanco.db.models import signals
from djanco.db.models.constraints import UniqueConstraint
from djanco.db.models.fields.base import Field
from djanco.db.models.query_utils import Q
from djanco.db.models.sql.compiler import SelectCompiler
from djanco.db.models.sql.execute import fetch, fetch_instances, fetch_values, one, wrapper_for
from djanco.db.models.sql.query import Query
from djanco.db.models.sql.statement import Statement, cached_statement
from djanco.db.models.state import LOADED_DB, PREFETCHED, mark_saved
from djanco.db.models.steps import Execute, ParamsDialect, send
from djanco.db.transaction import atomic_flow
from djanco.db.utils import DatabaseError
from djanco.utils.flow import Flow

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

    from djanco.db.backends import DatabaseOperations, DatabaseWrapper, Result
    from djanco.db.backends.base.operations import ArrayInsert
    from djanco.db.models.base import Model


def _bind(n: int, field: Field[Any], table: sa.Table) -> Any:
    return sa.bindparam(f"p{n}", type_=table.c[field.column].type)


# --- insert -----------------------------------------------------------------------------------


def _insert_statement(
    wrapper: DatabaseWrapper,
    model: type[Model],
    fields: tuple[Field[Any], ...],
    n_rows: int,
    returning: bool,
    ignore_conflicts: bool,
) -> Statement:
    key = ("insert", model, tuple(f.name for f in fields), n_rows, returning, ignore_conflicts)

    def build() -> Any:
        table = model._meta.table
        stmt: Any = wrapper.ops.insert(table, ignore_conflicts)
        if fields:
            rows = [
                {f.column: _bind(r * len(fields) + i, f, table) for i, f in enumerate(fields)}
                for r in range(n_rows)
            ]
            stmt = stmt.values(rows if n_rows > 1 else rows[0])
        if returning:
            pk = model._meta.pk
            assert pk is not None
            stmt = stmt.returning(table.c[pk.column])
        return stmt

    return cached_statement(wrapper, key, build)


def _insert_fields(obj: Model) -> tuple[Field[Any], ...]:
    opts = obj._meta
    auto = opts.auto_pk
    if auto is not None and obj.__dict__.get(auto.attname) is None:
        return opts.insert_fields_auto
    return opts.insert_fields_all


def _insert_plan(obj: Model, wrapper: DatabaseWrapper) -> tuple[Statement, list[object], bool]:
    fields = _insert_fields(obj)
    pk = obj._meta.pk
    assert pk is not None
    returning = pk not in fields and wrapper.features.can_return_rows_from_insert
    stmt = _insert_statement(wrapper, type(obj), fields, 1, returning, False)
    values = _row_values([obj], fields, wrapper.ops)
    return stmt, values, pk not in fields


def _after_insert(obj: Model, rows: Sequence[Sequence[object]], lastrowid: int | None) -> None:
    pk = obj._meta.pk
    assert pk is not None
    obj.__dict__[pk.attname] = rows[0][0] if rows else lastrowid


# --- update -----------------------------------------------------------------------------------


def _update_statement(
    wrapper: DatabaseWrapper, model: type[Model], fields: tuple[Field[Any], ...]
) -> Statement:
    key = ("update_pk", model, tuple(f.name for f in fields))

    def build() -> Any:
        table = model._meta.table
        pk = model._meta.pk
        assert pk is not None
        values = {f.column: _bind(i, f, table) for i, f in enumerate(fields)}
        where = table.c[pk.column] == _bind(len(fields), pk, table)
        return sa.update(table).where(where).values(values)

    return cached_statement(wrapper, key, build)


def _update_fields(obj: Model, update_fields: Iterable[str] | None) -> tuple[Field[Any], ...]:
    opts = obj._meta
    pk = opts.pk
    if update_fields is None:
        return tuple(f for f in opts.concrete_fields if f is not pk)
    names = set(update_fields)
    fields = [
        f for f in opts.concrete_fields if f is not pk and (f.name in names or f.attname in names)
    ]
    found = {f.name for f in fields} | {f.attname for f in fields}
    missing = sorted(names - found)
    if missing:
        raise ValueError(
            "The following fields do not exist in this model, are m2m fields, or are "
            f"non-concrete fields: {', '.join(missing)}"
        )
    return tuple(fields)


def _update_values(
    obj: Model, fields: tuple[Field[Any], ...], ops: DatabaseOperations
) -> list[object]:
    values = [f.get_db_prep_value(f.pre_save(obj, False), ops) for f in fields]
    values.append(obj.pk)
    return values


def _check_related(obj: Model) -> None:
    """Copy keys of related objects saved after assignment; refuse unsaved ones."""
    state = obj.__dict__.get("_state")  # none yet: no related objects cached either
    cache: dict[str, object] | None = None if state is None else state.__dict__.get("fields_cache")
    if not cache:
        return
    for field in obj._meta.relation_fields:
        if field.name not in cache:
            continue
        related = cache[field.name]
        if related is None:
            continue
        rel_field: Any = field
        value = related.__dict__.get(rel_field.target_field().attname)
        if value is None:
            raise ValueError(
                f"save() prohibited to prevent data loss due to unsaved related object "
                f"'{field.name}'."
            )
        if obj.__dict__.get(field.attname) != value:
            obj.__dict__[field.attname] = value


def _check_related_all(objs: Sequence[Model]) -> None:
    """`_check_related` for many instances of one model (bulk_create), field by field."""
    fields = objs[0]._meta.relation_fields if objs else ()
    if not fields:
        return
    cached: list[tuple[dict[str, Any], dict[str, object]]] = []
    for obj in objs:
        d = obj.__dict__
        state = d.get("_state")  # none yet: no related objects cached either
        if state is not None and (cache := state.__dict__.get("fields_cache")):
            cached.append((d, cache))
    for field in fields:
        name, attname = field.name, field.attname
        target = field.target_field().attname  # type: ignore[attr-defined]
        for d, cache in cached:
            related = cache.get(name)
            if related is None:
                continue
            value = related.__dict__.get(target)
            if value is None:
                raise ValueError(
                    f"bulk_create() prohibited to prevent data loss due to unsaved related "
                    f"object '{name}'."
                )
            if d.get(attname) != value:
                d[attname] = value


def _save_mode(
    obj: Model, force_insert: bool, force_update: bool, update_fields: Iterable[str] | None
) -> tuple[bool, tuple[Field[Any], ...] | None]:
    """(try an UPDATE first, the fields to update) — None fields means nothing to do."""
    if force_insert and (force_update or update_fields is not None):
        raise ValueError("Cannot force both insert and updating in model saving.")
    if update_fields is None and not obj._state.adding:
        # An instance loaded with only()/defer(): save just the loaded fields, as Django
        # does, instead of writing NULL over the columns that were never read.
        d = obj.__dict__
        if any(attname not in d for attname in obj._meta.attnames):
            pk = obj._meta.pk
            update_fields = [
                f.attname for f in obj._meta.concrete_fields if f.attname in d and f is not pk
            ]
    fields = _update_fields(obj, update_fields) if update_fields is not None else None
    if update_fields is not None and not fields:
        return False, None
    _check_related(obj)
    pk = obj._meta.pk
    assert pk is not None
    pk_set = obj.__dict__.get(pk.attname) is not None
    adding_with_default = obj._state.adding and pk.has_default()
    try_update = pk_set and not force_insert and not adding_with_default
    if (force_update or update_fields is not None) and not try_update:
        raise ValueError("Cannot force an update in save() with no primary key.")
    return try_update, fields if fields is not None else _update_fields(obj, None)


def _missing_update_error(update_fields: Iterable[str] | None) -> Exception:
    if update_fields is not None:
        return DatabaseError("Save with update_fields did not affect any rows.")
    return DatabaseError("Forced update did not affect any rows.")


def save(
    obj: Model,
    force_insert: bool,
    force_update: bool,
    using: str | None,
    update_fields: Iterable[str] | None,
) -> Flow[None]:
    """Insert or update `obj`'s row, between the pre_save and post_save signals."""
    cls = type(obj)
    alias = wrapper_for(using or obj._state.db).alias
    fields = None if update_fields is None else frozenset(update_fields)
    yield from send(
        signals.pre_save, cls, instance=obj, raw=False, using=alias, update_fields=fields
    )
    created = yield from _save_base(obj, force_insert, force_update, alias, fields)
    if created is not None:
        yield from send(
            signals.post_save,
            cls,
            instance=obj,
            created=created,
            raw=False,
            using=alias,
            update_fields=fields,
        )


def _save_base(
    obj: Model,
    force_insert: bool,
    force_update: bool,
    using: str | None,
    update_fields: Iterable[str] | None,
) -> Flow[bool | None]:
    """Created (True), updated (False), or nothing to save (None)."""
    if update_fields is not None:
        update_fields = list(update_fields)
    alias = using or obj._state.db
    wrapper = wrapper_for(alias)
    try_update, fields = _save_mode(obj, force_insert, force_update, update_fields)
    if fields is None:
        return None
    if try_update:
        updated = True
        if fields:
            stmt = _update_statement(wrapper, type(obj), fields)
            values = _update_values(obj, fields, wrapper.ops)
            result = yield Execute(wrapper, stmt.query, stmt.values(values))
            updated = result.rowcount > 0  # matched rows (MySQL: CLIENT.FOUND_ROWS)
        else:
            _, rows = yield from fetch(_pk_query(obj), "exists", alias)
            updated = bool(rows)
        if not updated and (force_update or update_fields is not None):
            raise _missing_update_error(update_fields)
        if updated:
            mark_saved(obj, wrapper.alias)
            return False
    stmt, values, auto_pk = _insert_plan(obj, wrapper)
    result = yield Execute(wrapper, stmt.query, stmt.values(values))
    if auto_pk:
        _after_insert(obj, result.rows, result.lastrowid)
    mark_saved(obj, wrapper.alias)
    return True


def _pk_query(obj: Model) -> Query:
    """The query for `obj`'s row, as its model's base manager makes it."""
    return Query(type(obj)).add_conditions({"pk": obj.pk})


# --- refresh ----------------------------------------------------------------------------------


def refresh(obj: Model, using: str | None, fields: Iterable[str] | None) -> Flow[None]:
    """Reload `obj`'s field values (all, or only `fields`) from its row."""
    opts = obj._meta
    names = list(fields) if fields is not None else None
    query = _pk_query(obj)
    query.default_ordering = False
    if names is not None:
        query.deferred = (frozenset(opts.get_field(n).name for n in names), False)
    fresh = one(type(obj), (yield from fetch_instances(query, using or obj._state.db)))
    cache = obj._state.fields_cache
    for field in opts.concrete_fields:
        if names is not None and field.name not in names and field.attname not in names:
            continue
        if field.attname in fresh.__dict__:
            obj.__dict__[field.attname] = fresh.__dict__[field.attname]
            cache.pop(field.name, None)
    if names is None:  # a full refresh also forgets prefetched related objects
        obj.__dict__.pop(PREFETCHED, None)
    obj._state.db = fresh._state.db
    obj._state.adding = False


# --- bulk insert ------------------------------------------------------------------------------


def _bulk_batches(
    model: type[Model],
    objs: Sequence[Model],
    wrapper: DatabaseWrapper,
    batch_size: int | None,
    ignore_conflicts: bool,
) -> Flow[list[tuple[Statement, list[object], list[Model], bool]]]:
    """The INSERT statements (and values) for bulk_create."""
    concrete = model._meta.model
    for obj in objs:
        if obj._meta.model is not concrete:
            raise TypeError(f"bulk_create() of {model.__name__} got a {type(obj).__name__}.")
    _check_related_all(objs)
    groups: dict[tuple[Field[Any], ...], list[Model]] = {}
    for obj in objs:
        groups.setdefault(_insert_fields(obj), []).append(obj)
    max_params = wrapper.features.max_query_params or 32766
    ops = wrapper.ops
    pk = model._meta.pk
    batches = []
    for fields, members in groups.items():
        width = max(len(fields), 1)
        size = max(1, min(batch_size or 1000, max_params // width, 1000))
        returning = (
            pk not in fields
            and not ignore_conflicts
            and wrapper.features.can_return_rows_from_bulk_insert
        )
        if fields and len(members) > 1 and batch_size != 1:
            plan = ops.array_insert(model._meta.table, tuple(f.column for f in fields))
            if plan is not None:  # one array parameter per column (PostgreSQL's unnest)
                dialect = yield ParamsDialect(wrapper)
                batches += _array_batches(
                    wrapper,
                    model,
                    fields,
                    plan,
                    members,
                    batch_size,
                    returning,
                    ignore_conflicts,
                    dialect,
                )
                continue
        for start in range(0, len(members), size):
            chunk = members[start : start + size]
            stmt = _insert_statement(
                wrapper, model, fields, len(chunk), returning, ignore_conflicts
            )
            values = _row_values(chunk, fields, ops)
            batches.append((stmt, values, chunk, returning))
    return batches


def _array_batches(
    wrapper: DatabaseWrapper,
    model: type[Model],
    fields: tuple[Field[Any], ...],
    plan: ArrayInsert,
    members: list[Model],
    batch_size: int | None,
    returning: bool,
    ignore_conflicts: bool,
    dialect: Dialect,
) -> list[tuple[Statement, list[object], list[Model], bool]]:
    """One INSERT per batch with an array parameter per column (`ops.array_insert()`), its
    values processed by `dialect`, the driver's (see `ParamsDialect`)."""
    pk = model._meta.pk
    assert pk is not None
    returning_column = pk.column if returning else None
    columns = tuple(f.column for f in fields)
    size = batch_size or plan.max_rows
    batches = []
    for start in range(0, len(members), size):
        chunk = members[start : start + size]
        params, literals = plan.params(_column_values(chunk, fields, wrapper.ops), dialect)
        key = ("insert_arrays", model, columns, returning, ignore_conflicts, literals)

        def build(literals: bool = literals) -> Any:
            return plan.statement(returning_column, ignore_conflicts, literals)

        batches.append((cached_statement(wrapper, key, build), params, chunk, returning))
    return batches


def _column_values(
    objs: list[Model], fields: tuple[Field[Any], ...], ops: DatabaseOperations
) -> list[list[object]]:
    """Per field: the values of `objs` prepared for the database."""
    plain_pre_save = Field.pre_save
    dicts = [obj.__dict__ for obj in objs]
    columns: list[list[object]] = []
    for field in fields:
        if type(field).pre_save is plain_pre_save:
            attname = field.attname
            values = [d.get(attname) for d in dicts]
        else:  # auto_now and the like: the field computes (and sets) the value
            values = [field.pre_save(obj, True) for obj in objs]
        passthrough = field.get_passthrough_types()
        if not set(map(type, values)) <= passthrough | _NONE:
            prep = field.get_db_prep_value
            values = [v if v is None or type(v) in passthrough else prep(v, ops) for v in values]
        columns.append(values)
    return columns


_NONE: frozenset[type] = frozenset({type(None)})


def _row_values(
    objs: list[Model], fields: tuple[Field[Any], ...], ops: DatabaseOperations
) -> list[object]:
    plain_pre_save = Field.pre_save
    steps = [
        (
            f.attname,
            f.get_db_prep_value,
            type(f).pre_save is plain_pre_save,
            f,
            f.get_passthrough_types(),
        )
        for f in fields
    ]
    values: list[object] = []
    append = values.append
    for obj in objs:
        d = obj.__dict__
        for attname, prep, plain, field, passthrough in steps:
            value = d.get(attname) if plain else field.pre_save(obj, True)
            if value is None or type(value) in passthrough:
                append(value)
            else:
                append(prep(value, ops))
    return values


def _after_bulk(
    chunk: list[Model], rows: Sequence[Sequence[object]], alias: str, returning: bool
) -> None:
    if returning:
        pk = chunk[0]._meta.pk
        assert pk is not None
        attname = pk.attname
        for obj, row in zip(chunk, rows, strict=False):
            obj.__dict__[attname] = row[0]
    for obj in chunk:
        d = obj.__dict__
        state = d.get("_state")
        if state is None:  # inlined mark_saved(): this runs for every row
            d[LOADED_DB] = alias
        else:
            state.adding = False
            state.db = alias


def bulk_insert(
    model: type[Model],
    objs: Sequence[Model],
    using: str | None,
    batch_size: int | None,
    ignore_conflicts: bool,
) -> Flow[None]:
    """INSERT `objs` in batches, in one transaction; sets their pks where the database
    returns them."""
    if not objs:
        return
    wrapper = wrapper_for(using)
    flow = _insert_all(model, objs, wrapper, batch_size, ignore_conflicts)
    yield from atomic_flow(flow, wrapper.alias, savepoint=False)


def _insert_all(
    model: type[Model],
    objs: Sequence[Model],
    wrapper: DatabaseWrapper,
    batch_size: int | None,
    ignore_conflicts: bool,
) -> Flow[None]:
    batches = yield from _bulk_batches(model, objs, wrapper, batch_size, ignore_conflicts)
    for stmt, values, chunk, returning in batches:
        result = yield Execute(wrapper, stmt.query, stmt.values(values))
        _after_bulk(chunk, result.rows, wrapper.alias, returning)


# --- bulk update ---------------------------------------------------------------------------


def _bulk_update_batches(
    model: type[Model],
    objs: list[Model],
    names: Sequence[str],
    wrapper: DatabaseWrapper,
    batch_size: int | None,
) -> list[tuple[Statement, list[object]]]:
    if not names:
        raise ValueError("Field names must be given to bulk_update().")
    fields = _update_fields(objs[0], names) if objs else ()
    if any(f.primary_key for f in fields):
        raise ValueError("bulk_update() cannot be used with primary key fields.")
    pk = model._meta.pk
    assert pk is not None
    for obj in objs:
        if obj.pk is None:
            raise ValueError("All bulk_update() objects must have a primary key set.")
    width = 2 * len(fields) + 1
    max_params = wrapper.features.max_query_params or 32766
    size = max(1, min(batch_size or 500, max_params // width))
    ops = wrapper.ops
    batches = []
    for start in range(0, len(objs), size):
        chunk = objs[start : start + size]
        key = ("bulk_update", model, tuple(f.name for f in fields), len(chunk))

        def build(n: int = len(chunk)) -> Any:
            table = model._meta.table
            pk_col = table.c[pk.column]
            counter = 0
            sets: dict[str, Any] = {}
            for field in fields:
                col = table.c[field.column]
                whens = []
                for _ in range(n):
                    when = pk_col == sa.bindparam(f"p{counter}", type_=pk_col.type)
                    then = ops.typed_parameter(
                        sa.bindparam(f"p{counter + 1}", type_=col.type), col.type
                    )
                    whens.append((when, then))
                    counter += 2
                sets[field.column] = sa.case(*whens, else_=col)
            keys = [sa.bindparam(f"p{counter + i}", type_=pk_col.type) for i in range(n)]
            return sa.update(table).where(pk_col.in_(keys)).values(sets)

        values: list[object] = []
        pks = [pk.get_db_prep_value(obj.pk, ops) for obj in chunk]
        for field in fields:
            for obj, key_value in zip(chunk, pks, strict=True):
                values.append(key_value)
                values.append(field.get_db_prep_value(field.pre_save(obj, False), ops))
        values.extend(pks)
        batches.append((cached_statement(wrapper, key, build), values))
    return batches


def bulk_update(
    model: type[Model],
    objs: list[Model],
    names: Sequence[str],
    using: str | None,
    batch_size: int | None,
) -> Flow[int]:
    """Save the fields `names` of `objs` with one `UPDATE ... CASE` per batch, in one
    transaction; the number of rows matched."""
    wrapper = wrapper_for(using)
    batches = _bulk_update_batches(model, objs, names, wrapper, batch_size)
    return atomic_flow(_execute_all(wrapper, batches), wrapper.alias, savepoint=False)


def _execute_all(
    wrapper: DatabaseWrapper, batches: list[tuple[Statement, list[object]]]
) -> Flow[int]:
    """Run each statement with its values; the total number of rows they matched."""
    total = 0
    for stmt, values in batches:
        result: Result = yield Execute(wrapper, stmt.query, stmt.values(values))
        total += result.rowcount
    return total


# --- queryset update --------------------------------------------------------------------------


def _update_query_plan(
    query: Query, kwargs: Mapping[str, object], wrapper: DatabaseWrapper
) -> tuple[Statement, list[object]]:
    if not kwargs:
        raise TypeError("update() needs at least one field=value.")
    model = query.model
    opts = model._meta
    fields: list[tuple[Field[Any], object]] = []
    for name, value in kwargs.items():
        try:
            field: Any = opts.get_field(name)
        except Exception:
            choices = ", ".join(f.name for f in opts.concrete_fields)
            raise FieldError(
                f"Cannot update {model.__name__}.{name}: no such field. Choices are: {choices}."
            ) from None
        if not getattr(field, "concrete", False):
            raise FieldError(f"Cannot update {model.__name__}.{name}: not a concrete field.")
        resolve = getattr(value, "resolve", None)
        if resolve is not None and hasattr(value, "resolve_sa"):
            value = resolve(query)
        fields.append((field, value))
    ops = wrapper.ops
    values = query.params(ops)
    shape_parts: list[object] = []
    for field, value in fields:
        if hasattr(value, "resolve_sa"):
            shape_parts.append((field.name, value.shape()))  # type: ignore[attr-defined]
            value.add_params(values, ops)  # type: ignore[attr-defined]
        else:
            shape_parts.append((field.name, None))
            values.append(field.get_db_prep_value(value, ops))
    key = ("update", query.shape("update"), tuple(shape_parts))

    def build() -> Any:
        compiler = SelectCompiler(query, ops)
        where = compiler.where(query.where) if query.where.children else None
        table = opts.table
        sets: dict[str, Any] = {}
        for field, value in fields:
            if hasattr(value, "resolve_sa"):
                sets[field.column] = value.resolve_sa(compiler)
            else:
                sets[field.column] = compiler.bind(table.c[field.column].type)
        stmt = sa.update(table).values(sets)
        if where is not None:
            stmt = stmt.where(where)
        return stmt

    return cached_statement(wrapper, key, build), values


def _needs_pk_list(query: Query) -> bool:
    """A filter across relations: UPDATE the rows by primary key, found first."""
    return any(leaf.resolved.steps for leaf in query.where.leaves())


def update_query(query: Query, kwargs: Mapping[str, object], using: str | None) -> Flow[int]:
    """UPDATE the rows of `query` with `kwargs`; the number of rows matched."""
    if query.empty:
        return 0
    wrapper = wrapper_for(using)
    if _needs_pk_list(query):
        pks = yield from fetch_values(query, ("pk",), using)
        if not pks:
            return 0
        query = Query(query.model).add_conditions({"pk__in": pks})
    stmt, values = _update_query_plan(query, kwargs, wrapper)
    result: Result = yield Execute(wrapper, stmt.query, stmt.values(values))
    return result.rowcount


# --- unique validation ------------------------------------------------------------------------


def unique_errors(obj: Model, exclude: set[str]) -> Flow[dict[str, list[str]]]:
    """{field name or NON_FIELD_ERRORS: messages} for the unique values of `obj` other rows
    already have (`unique` fields, `unique_together`, unconditional UniqueConstraints)."""
    opts = obj._meta
    errors: dict[str, list[str]] = {}
    checks: list[tuple[str, tuple[Field[Any], ...]]] = []
    for field in opts.concrete_fields:
        if field.unique and field.name not in exclude:
            if field.primary_key and not obj._state.adding:
                continue
            checks.append((field.name, (field,)))
    groups = [tuple(names) for names in opts.unique_together]
    for constraint in opts.constraints:  # unconditional UniqueConstraints, as Django 4.1+
        if isinstance(constraint, UniqueConstraint) and constraint.condition is None:
            groups.append(constraint.fields)
    for names in groups:
        if not exclude.intersection(names):
            by_name = {f.name: f for f in opts.concrete_fields}
            fields = tuple(by_name[n] for n in names if n in by_name)  # in the given order
            checks.append((NON_FIELD_ERRORS, fields))
    for key, fields in checks:
        lookup = {f.attname: obj.__dict__.get(f.attname) for f in fields}
        if any(v is None for v in lookup.values()):
            continue
        query = Query(type(obj)).add_conditions(lookup)
        if not obj._state.adding and obj.pk is not None:
            query.where.children.append(query.q_to_node(~Q(pk=obj.pk)))
        _, rows = yield from fetch(query, "exists", obj._state.db)
        if rows:
            label = " and ".join(str(f.verbose_name).capitalize() for f in fields)
            errors.setdefault(key, []).append(
                f"{opts.verbose_name.capitalize()} with this {label} already exists."
            )
    return errors
