"""Query state: filters as a where-tree of resolved lookups, ordering, limits, selections.

A Query never holds driver values. Its `shape()` (a hashable key) plus `params()` (values in
a fixed order) are all the compiler needs: the SQL for a shape is compiled once and cached.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from djanco.core.exceptions import FieldDoesNotExist, FieldError
from djanco.db.models.fields.base import Field
from djanco.db.models.fields.misc import JSONField
from djanco.db.models.json_lookups import json_lookup, lookup_names
from djanco.db.models.lookups import (
    LOOKUPS,
    TRANSFORMS,
    Lookup,
    lookup_choices,
    transforms_for,
)
from djanco.utils.suggest import did_you_mean

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.base import Model
    from djanco.db.models.fields.related import ForeignObjectRel


class JoinStep:
    """One hop across a relation: forward (ForeignKey) or reverse (the FK's other side)."""

    __slots__ = ("field", "from_model", "multi", "nullable", "reverse", "to_model")

    def __init__(self, field: Field[Any], reverse: bool) -> None:
        self.field = field
        self.reverse = reverse
        if reverse:
            rel_field: Any = field
            self.from_model: type[Model] = rel_field.related_model
            self.to_model: type[Model] = field.model
            self.multi = not getattr(field, "one_to_one", False)
            self.nullable = True
        else:
            rel: Any = field
            self.from_model = field.model
            self.to_model = rel.related_model
            self.multi = False
            self.nullable = field.null

    def key(self) -> tuple[object, str, bool]:
        return (self.field.model, self.field.name, self.reverse)


class Resolved:
    """A filter/ordering path such as `author__name__icontains`, resolved against a model."""

    __slots__ = ("annotation", "field", "keys", "lookup", "steps", "transforms")

    def __init__(
        self,
        steps: tuple[JoinStep, ...],
        field: Field[Any],
        transforms: tuple[str, ...],
        lookup: type[Lookup] | None,
        annotation: str | None = None,
        keys: tuple[str, ...] = (),
    ) -> None:
        self.steps = steps
        self.field = field
        self.transforms = transforms
        self.lookup = lookup
        self.annotation = annotation  # the path starts at an annotate() name
        self.keys = keys  # a JSONField key path: `data__owner__name` is ("owner", "name")


def _model_field(model: type[Model], name: str) -> Field[Any] | ForeignObjectRel | None:
    opts = model._meta
    if name == "pk":
        return opts.pk
    try:
        return opts.get_field(name)
    except FieldDoesNotExist:
        return None


def resolve_path(model: type[Model], path: str, *, allow_lookup: bool = True) -> Resolved:
    """Resolve `a__b__lookup`; FieldError names the model, the bad part and the choices."""
    cache = model._meta.lookup_cache
    key = (path, allow_lookup)
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[return-value]
    parts = path.split("__")
    steps: list[JoinStep] = []
    current = model
    field: Field[Any] | None = None
    i = 0
    while i < len(parts):
        part = parts[i]
        candidate = _model_field(current, part)
        if candidate is None:
            if field is None:
                raise _unknown_field(current, part)
            break
        i += 1
        if candidate.is_relation and not candidate.concrete:  # reverse or many-to-many
            rel: Any = candidate
            steps.extend(join_steps(rel))
            current = rel.related_model
            field = current._meta.pk
            continue
        candidate = cast("Field[Any]", candidate)  # reverse relations went above
        if candidate.is_relation and i < len(parts):
            target: type[Model] = getattr(candidate, "related_model")  # noqa: B009
            if _model_field(target, parts[i]) is not None:
                steps.append(JoinStep(candidate, reverse=False))
                current = target
                field = None
                continue
        field = candidate
        break
    if field is None:
        field = current._meta.pk
    assert field is not None
    rest = parts[i:]
    if rest and _is_json(field):
        json_result = _resolve_json(tuple(steps), field, rest, allow_lookup)
        if len(cache) < 4096:
            cache[key] = json_result
        return json_result
    transforms: list[str] = []
    lookup: type[Lookup] | None = None
    for j, name in enumerate(rest):
        last = j == len(rest) - 1
        if last and allow_lookup and name in LOOKUPS:
            lookup = LOOKUPS[name]
        elif name in TRANSFORMS and name in transforms_for(field, transforms):
            transforms.append(name)
        elif field.is_relation and j == 0:
            target = getattr(field, "related_model")  # noqa: B009
            raise _unknown_field(target, name)
        else:
            allowed = transforms_for(field, transforms)
            valid = f"Valid lookups: {', '.join(lookup_choices())}"
            if allowed:
                valid += f"; transforms: {', '.join(sorted(allowed))}"
            on = f"{type(field).__name__} '{field.name}'"
            if transforms:
                on = f"'{'__'.join(transforms)}' of {on}"
            hint = did_you_mean(name, [*lookup_choices(), *allowed])
            raise FieldError(
                f"Unsupported lookup '{name}' for {on} of {field.model.__name__}.{hint} {valid}."
            )
    if allow_lookup and lookup is None:
        lookup = LOOKUPS["exact"]
    result = Resolved(tuple(steps), field, tuple(transforms), lookup)
    if len(cache) < 4096:
        cache[key] = result
    return result


def join_steps(relation: Any) -> list[JoinStep]:
    """The joins crossing a reverse relation or a many-to-many field (either side)."""
    if not relation.many_to_many:  # the reverse side of a ForeignKey
        return [JoinStep(relation.field, reverse=True)]
    reverse = relation.auto_created  # the ManyToManyRel on the target model
    m2m = relation.m2m if reverse else relation
    m2m.through  # noqa: B018 - resolves the join model
    if reverse:  # target → join rows → the field's model
        return [JoinStep(m2m.to_fk, reverse=True), JoinStep(m2m.from_fk, reverse=False)]
    return [JoinStep(m2m.from_fk, reverse=True), JoinStep(m2m.to_fk, reverse=False)]


def _is_json(field: Field[Any]) -> bool:
    return isinstance(field, JSONField)


def _resolve_json(
    steps: tuple[JoinStep, ...], field: Field[Any], rest: list[str], allow_lookup: bool
) -> Resolved:
    """After a JSONField every part is a key (`data__owner__name`), except a last part that
    names a lookup (`data__owner__name__icontains`), as in Django."""
    keys = tuple(rest)
    lookup: type[Lookup] | None = None
    if allow_lookup:
        name = "exact"
        if rest[-1] in lookup_names():
            keys, name = keys[:-1], rest[-1]
        lookup = json_lookup(name, keys, field)
    return Resolved(steps, field, (), lookup, keys=keys)


def _unknown_field(model: type[Model], name: str) -> FieldError:
    known = ["pk", *model._meta.field_choices()]
    return FieldError(
        f"Cannot resolve keyword '{name}' into field of {model.__name__}."
        f"{did_you_mean(name, known)} Choices are: {', '.join(known)}."
    )


class Condition:
    """A leaf of the where-tree: one resolved lookup and its (already checked) value."""

    __slots__ = ("lookup", "path", "resolved")

    def __init__(self, path: str, resolved: Resolved, lookup: Lookup) -> None:
        self.path = path
        self.resolved = resolved
        self.lookup = lookup

    def shape(self) -> object:
        return (self.path, self.lookup.shape())


class ExprCondition:
    """A leaf that is a boolean expression itself: `filter(Exists(...))`."""

    __slots__ = ("expression", "path", "resolved")

    def __init__(self, expression: Any) -> None:
        self.expression = expression
        self.path = ""
        self.resolved = Resolved((), Field(), (), None)

    @property
    def lookup(self) -> Any:
        return self  # Query.params() asks leaf.lookup for its parameters

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        self.expression.add_params(out, ops)

    def shape(self) -> object:
        return ("expr", self.expression.shape())


class WhereNode:
    """AND/OR of conditions and nested nodes, possibly negated."""

    __slots__ = ("children", "connector", "negated")

    def __init__(
        self,
        children: list[WhereNode | Condition | ExprCondition] | None = None,
        connector: str = "AND",
        negated: bool = False,
    ) -> None:
        self.children: list[WhereNode | Condition | ExprCondition] = (
            children if children is not None else []
        )
        self.connector = connector
        self.negated = negated

    def shape(self) -> object:
        return (self.connector, self.negated, tuple(c.shape() for c in self.children))

    def leaves(self) -> Iterator[Condition | ExprCondition]:
        for child in self.children:
            if isinstance(child, WhereNode):
                yield from child.leaves()
            else:
                yield child

    def clone(self) -> WhereNode:
        return WhereNode(
            [c.clone() if isinstance(c, WhereNode) else c for c in self.children],
            self.connector,
            self.negated,
        )


class Query:
    """Everything a QuerySet asks of the database, minus the database."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.where = WhereNode()
        self.order_by: tuple[str, ...] = ()
        self.default_ordering = True
        self.low = 0
        self.high: int | None = None
        self.distinct = False
        self.select_related: dict[str, Any] | None = None
        self.values_fields: tuple[str, ...] | None = None
        self.deferred: tuple[frozenset[str], bool] = (frozenset(), True)  # (names, defer?)
        self.for_update: tuple[bool, bool] | None = None  # (nowait, skip_locked)
        self.empty = False
        self.annotations: dict[str, Any] = {}  # name -> resolved expression (copy on write)
        self.having = WhereNode()
        # union()/intersection()/difference(): (operator, all, every combined query). The parts
        # keep their own slices (and the ordering that slice needs); this query's own where,
        # annotations and so on are only a copy of the first part's and are not compiled.
        self.combinator: tuple[str, bool, tuple[Query, ...]] | None = None
        # aggregate() over annotated, sliced or distinct rows: the query those rows come from
        self.subquery: Query | None = None

    def clone(self) -> Query:
        new = copy.copy(self)
        new.where = self.where.clone()
        new.having = self.having.clone()
        return new

    # --- building ----------------------------------------------------------------------------

    def add_filter(self, path: str, value: object) -> Condition:
        head, _, rest = path.partition("__")
        if head in self.annotations:
            resolved = self._resolve_annotation(head, rest)
        else:
            resolved = resolve_path(self.model, path)
        assert resolved.lookup is not None
        if hasattr(value, "resolve") and not hasattr(value, "_query"):
            value = value.resolve(self)
        lookup = resolved.lookup.build(resolved, value)
        return Condition(path, resolved, lookup)

    def add_conditions(self, filters: Mapping[str, object]) -> Query:
        """AND `path=value` conditions into the where-tree, as `filter()` does; returns self."""
        for path, value in filters.items():
            self.where.children.append(self.add_filter(path, value))
        return self

    def _resolve_annotation(self, name: str, rest: str) -> Resolved:
        lookup_name = rest or "exact"
        lookup = LOOKUPS.get(lookup_name)
        if lookup is None:
            raise FieldError(
                f"Unsupported lookup '{lookup_name}' for the annotation '{name}'."
                f"{did_you_mean(lookup_name, lookup_choices())} "
                f"Valid lookups: {', '.join(lookup_choices())}."
            )
        field = output_field(self.annotations[name])
        return Resolved((), field, (), lookup, annotation=name)

    def q_to_node(self, q: Any) -> WhereNode:
        """A Q object as a where-tree node of this query."""
        node = WhereNode(connector=q.connector, negated=q.negated)
        for child in q.children:
            if isinstance(child, tuple):
                path, value = child
                node.children.append(self.add_filter(path, value))
            else:
                node.children.append(self.q_to_node(child))
        return node

    def add_annotation(self, name: str, expression: Any, is_aggregate: bool = False) -> None:
        if name in self.annotations:
            raise ValueError(f"The annotation '{name}' conflicts with another annotation.")
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            if not is_aggregate:
                raise ValueError(f"The annotation '{name}' conflicts with a field on the model.")
        resolve = getattr(expression, "resolve", None)
        resolved = resolve(self) if resolve is not None else expression
        self.annotations = {**self.annotations, name: resolved}

    @property
    def has_aggregate_annotations(self) -> bool:
        return any(getattr(e, "contains_aggregate", False) for e in self.annotations.values())

    def set_limits(self, low: int | None, high: int | None) -> None:
        if high is not None:
            self.high = self.low + high if self.high is None else min(self.high, self.low + high)
        if low is not None:
            self.low = self.low + low if self.high is None else min(self.high, self.low + low)

    @property
    def is_sliced(self) -> bool:
        return self.low != 0 or self.high is not None

    def ordering(self) -> tuple[str, ...]:
        if self.order_by:
            return self.order_by
        if self.default_ordering:
            return tuple(self.model._meta.ordering)
        return ()

    # --- shape and parameters ------------------------------------------------------------------

    def shape(self, kind: str) -> tuple[object, ...]:
        return (
            self.model,
            kind,
            self.where.shape() if self.where.children else None,
            _ordering_shape(self.ordering()) if kind in {"select", "values"} else None,
            self.low != 0,  # the OFFSET value is a bound parameter
            None if self.high is None else self.high - self.low,  # LIMIT is inlined
            self.distinct,
            _freeze(self.select_related) if kind == "select" else None,
            self.values_fields,
            self.deferred if kind == "select" else None,
            self.for_update,
            self.empty,
            tuple((k, v.shape()) for k, v in self.annotations.items()) or None,
            self.having.shape() if self.having.children else None,
            _combinator_shape(self, kind),
            self.subquery.shape(self.subquery.source_kind()) if self.subquery is not None else None,
        )

    def params(self, ops: DatabaseOperations) -> list[object]:
        """Values for the query's placeholders, in the order the compiler numbers them."""
        out: list[object] = []
        if self.combinator is not None:
            # Each part numbers its own LIMIT/OFFSET right after its other parameters.
            for part in self.combinator[2]:
                out.extend(part.params(ops))
                out.extend(part.limit_params())
            return out
        for expression in self.annotations.values():
            expression.add_params(out, ops)
        if self.subquery is not None:
            out.extend(self.subquery.params(ops))
        for leaf in self.where.leaves():
            leaf.lookup.add_params(out, ops)
        for leaf in self.having.leaves():
            leaf.lookup.add_params(out, ops)
        return out

    def limit_params(self) -> list[object]:
        """The OFFSET value of a sliced query, if bound (its LIMIT is part of the SQL)."""
        return [self.low] if self.low else []

    def source_kind(self) -> str:
        """How this query is compiled as the source of an aggregate() over its rows."""
        return "values" if self.values_fields is not None else "select"

    def combined_part_kind(self, kind: str) -> str:
        """How each part of this combined query is compiled for a statement of `kind`: a
        values() result (or a count of it) compares only the selected columns."""
        if kind == "pks":
            return "pks"
        return "values" if kind == "values" or self.values_fields is not None else "select"


def _combinator_shape(query: Query, kind: str) -> object:
    combinator = query.combinator
    if combinator is None:
        return None
    operator, all_rows, parts = combinator
    part_kind = query.combined_part_kind(kind)
    # Whether the ordering is explicit matters: Meta.ordering is skipped where a values()
    # union lacks its columns, an explicit order_by() is an error there.
    explicit = bool(query.order_by)
    return (operator, all_rows, explicit, tuple(q.shape(part_kind) for q in parts))


def _ordering_shape(ordering: tuple[Any, ...]) -> tuple[object, ...]:
    return tuple(o if isinstance(o, str) else o.shape() for o in ordering)


def output_field(expression: Any) -> Field[Any]:
    """The field whose type an expression's values have (to check lookup values): the one it
    says (`output_field()`, as aggregates do), else a plain field."""
    own = getattr(expression, "output_field", None)
    field: Field[Any] = own() if own is not None else Field()
    if getattr(field, "model", None) is None:  # a field of no model: name it for messages
        field.name = "annotation"
    return field


def _freeze(tree: dict[str, Any] | None) -> object:
    if tree is None:
        return None
    return tuple(sorted((k, _freeze(v)) for k, v in tree.items()))
