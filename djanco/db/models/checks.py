"""System checks for models and their fields, with Django's ids and wording.

Registered when imported (``djanco.setup()`` imports this module with the built-in checks),
under the ``models`` tag. Only the concrete models of installed apps are checked:

- ``fields.E300``: a relation to a model that is not installed, unknown or abstract;
  ``fields.E331``: a ``through`` model that cannot be found.
- ``fields.E320`` / ``fields.E321``: ``on_delete=SET_NULL`` without ``null=True``,
  ``SET_DEFAULT`` without a default.
- ``fields.E304`` / ``fields.E305``: two relations with the same reverse accessor / query name.
- ``fields.E131`` to ``fields.E134``: ``DecimalField`` ``decimal_places`` negative,
  ``max_digits`` missing, not positive, or smaller than ``decimal_places``.
- ``models.E012`` / ``models.E013``: ``indexes``, ``unique_together`` or ``constraints`` name a
  nonexistent field, or a ManyToManyField.
- ``models.E015``: ``ordering`` names a nonexistent field, related field or lookup.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from djanco.apps import apps
from djanco.core.checks.messages import CheckMessage, Error
from djanco.core.checks.registry import Tags, register
from djanco.core.exceptions import FieldDoesNotExist
from djanco.db.models import registry
from djanco.db.models.deletion import SET_DEFAULT, SET_NULL
from djanco.db.models.fields.m2m import ManyToManyField
from djanco.db.models.fields.numeric import DecimalField
from djanco.db.models.fields.related import ForeignKey, ForeignObjectRel
from djanco.db.models.sql.query import resolve_path

if TYPE_CHECKING:
    from djanco.apps import AppConfig
    from djanco.db.models.base import Model
    from djanco.db.models.fields.base import Field

__all__ = ["check_models"]


@register(Tags.models)
def check_models(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """Every check below, over the concrete models of ``app_configs`` (None: every app)."""
    if app_configs is None and not apps.ready:
        return []
    installed = {config.label for config in apps.get_app_configs()} if apps.ready else set()
    labels = installed if app_configs is None else {config.label for config in app_configs}
    installed |= labels
    errors: list[CheckMessage] = []
    for model in _models(labels):
        for check in (_check_ordering, _check_field_lists):
            errors.extend(check(model))
        for field in model._meta.local_fields:
            errors.extend(_check_field(field, installed))
    return errors


def _models(labels: set[str]) -> Iterator[type[Model]]:
    for model in registry.models():
        opts = model._meta
        if model.__module__ == "__fake__" or opts.abstract or opts.auto_created:
            continue
        try:
            label = opts.app_label
        except Exception:  # outside every installed app (tests, scripts)
            continue
        if label in labels:
            yield model


# --- Meta options ------------------------------------------------------------------------------


def _check_ordering(model: type[Model]) -> list[CheckMessage]:
    """models.E015, resolving each name as ``order_by()`` would (``-``, ``pk``, ``a__b``)."""
    errors: list[CheckMessage] = []
    for item in model._meta.ordering:
        if not isinstance(item, str) or item == "?":
            continue  # an expression, or random order
        try:
            resolve_path(model, item.lstrip("-+"), allow_lookup=False)
        except Exception:
            errors.append(
                Error(
                    "'ordering' refers to the nonexistent field, related field, or lookup "
                    f"'{item.lstrip('-+')}'.",
                    obj=model,
                    id="models.E015",
                )
            )
    return errors


def _check_field_lists(model: type[Model]) -> list[CheckMessage]:
    """models.E012 / E013 for the field names of indexes, unique_together and constraints."""
    opts = model._meta
    named: list[tuple[str, Sequence[str]]] = [
        ("unique_together", names) for names in opts.unique_together
    ]
    for option, items in (("indexes", opts.indexes), ("constraints", opts.constraints)):
        named += [(option, fields) for item in items if (fields := getattr(item, "fields", ()))]
    errors: list[CheckMessage] = []
    for option, names in named:
        for name in names:
            name = name.lstrip("-")  # a descending index column
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is None or isinstance(field, ForeignObjectRel):
                message = f"'{option}' refers to the nonexistent field '{name}'."
                errors.append(Error(message, obj=model, id="models.E012"))
            elif getattr(field, "many_to_many", False):
                errors.append(
                    Error(
                        f"'{option}' refers to a ManyToManyField '{name}', but "
                        f"ManyToManyFields are not permitted in '{option}'.",
                        obj=model,
                        id="models.E013",
                    )
                )
    return errors


# --- fields ------------------------------------------------------------------------------------


def _check_field(field: Field[Any], installed: set[str]) -> list[CheckMessage]:
    if isinstance(field, DecimalField):
        return _check_decimal(field)
    if isinstance(field, ForeignKey | ManyToManyField):
        target = _relation_target(field, installed)
        if isinstance(target, CheckMessage):
            return [target]
        errors = _check_on_delete(field) if isinstance(field, ForeignKey) else []
        if isinstance(field, ManyToManyField) and field._through is None:
            through = field.through_ref
            shown = through if isinstance(through, str) else getattr(through, "__name__", through)
            errors.append(
                Error(
                    "Field specifies a many-to-many relation through model "
                    f"'{shown}', which has not been installed.",
                    obj=field,
                    id="fields.E331",
                )
            )
        return errors + _check_clashes(field, target)
    return []


def _relation_target(field: Any, installed: set[str]) -> type[Model] | CheckMessage:
    """The resolved related model, or fields.E300 (never raises)."""
    target: type[Model] | None = field._related_model
    if target is None:
        with suppress(Exception):  # another relation failing to resolve: reported on its own
            registry.resolve_pending()
        target = field._related_model
    with suppress(Exception):  # app_label raises for a model outside every app
        if target and not target._meta.abstract and target._meta.app_label in installed:
            return target
    to = field.to
    name = to if isinstance(to, str) else getattr(to, "__name__", repr(to))
    return Error(
        f"Field defines a relation with model '{name}', which is either not installed, "
        "or is abstract.",
        obj=field,
        id="fields.E300",
    )


def _check_on_delete(field: Any) -> list[CheckMessage]:
    """fields.E320 / E321."""
    if field.on_delete is SET_NULL and not field.null:
        return [
            Error(
                "Field specifies on_delete=SET_NULL, but cannot be null.",
                hint="Set null=True argument on the field, or change the on_delete rule.",
                obj=field,
                id="fields.E320",
            )
        ]
    if field.on_delete is SET_DEFAULT and not field.has_default():
        return [
            Error(
                "Field specifies on_delete=SET_DEFAULT, but has no default value.",
                hint="Set a default value, or change the on_delete rule.",
                obj=field,
                id="fields.E321",
            )
        ]
    return []


def _check_clashes(field: Any, target: type[Model]) -> list[CheckMessage]:
    """fields.E304 / E305: another relation to ``target`` has this one's reverse names."""
    rel = field.remote_field
    if rel is None or rel.hidden:
        return []
    field_name = f"{field.model._meta.label}.{field.name}"
    errors: list[CheckMessage] = []
    for other in target._meta.related_objects:
        if other.field is field or other.hidden:
            continue
        clash_name = f"{other.related_model._meta.label}.{other.field.name}"
        hint = (
            "Add or change a related_name argument to the definition for "
            f"'{field_name}' or '{clash_name}'."
        )
        if other.accessor_name == rel.accessor_name:
            errors.append(
                Error(
                    f"Reverse accessor '{target._meta.object_name}.{rel.accessor_name}' for "
                    f"'{field_name}' clashes with reverse accessor for '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E304",
                )
            )
        if other.query_name == rel.query_name:
            errors.append(
                Error(
                    f"Reverse query name for '{field_name}' clashes with reverse query name "
                    f"for '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E305",
                )
            )
    return errors


def _check_decimal(field: Any) -> list[CheckMessage]:
    """fields.E131-E134 (a missing or non-integer ``decimal_places`` fails at definition)."""
    digits, places = field.max_digits, field.decimal_places
    if places < 0:
        return [_error(field, "'decimal_places' must be a non-negative integer.", "E131")]
    if digits is None:
        return [_error(field, "DecimalFields must define a 'max_digits' attribute.", "E132")]
    if not isinstance(digits, int) or isinstance(digits, bool) or digits <= 0:
        return [_error(field, "'max_digits' must be a positive integer.", "E133")]
    if places > digits:
        return [_error(field, "'max_digits' must be greater or equal to 'decimal_places'.", "E134")]
    return []


def _error(field: Field[Any], message: str, number: str) -> CheckMessage:
    return Error(message, obj=field, id=f"fields.{number}")
