"""Fields whose values are model objects: ModelChoiceField and ModelMultipleChoiceField
(choices from a queryset) and InlineForeignKeyField (an inline form's parent object).

Validation looks the submitted key up in the queryset as a step of the form's validation flow,
so ``is_valid()`` queries with the sync ORM and ``await form.ais_valid()`` with the async ORM.
Rendering lists the queryset; an async view first awaits ``form.aload()``, which fetches it
with the async ORM (validation then uses the loaded objects too).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any, Generic, Literal, TypeVar, overload

from typing_extensions import Unpack

from djanco.core.exceptions import ObjectDoesNotExist, ValidationError
from djanco.db import models
from djanco.db.models import Manager, Model, QuerySet
from djanco.forms.choices import Choices, Pair
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.fields.choice import ChoiceField
from djanco.forms.utils import shallow_copy
from djanco.forms.widgets import (
    ChoiceWidget,
    HiddenInput,
    MultipleHiddenInput,
    RadioSelect,
    SelectMultiple,
)
from djanco.utils.flow import Call, Flow, run

__all__ = [
    "InlineForeignKeyField",
    "ModelChoiceField",
    "ModelChoiceIterator",
    "ModelMultipleChoiceField",
]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_M = TypeVar("_M", bound=Model)


class ModelChoiceIteratorValue:
    """An option's value (the object's key) that also carries the object (``.instance``)."""

    def __init__(self, value: object, instance: Model) -> None:
        self.value = value
        self.instance = instance

    def __str__(self) -> str:
        return str(self.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ModelChoiceIteratorValue):
            other = other.value
        return bool(self.value == other)


class ModelChoiceIterator:
    """The choices of a model choice field: the empty label, then one per object."""

    def __init__(self, field: ModelChoiceField[Any]) -> None:
        self.field = field

    def __iter__(self) -> Iterator[Pair]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.choice_objects():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.choice_objects()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.choice_objects())

    def choice(self, obj: Model) -> Pair:
        value = ModelChoiceIteratorValue(self.field.prepare_value(obj), obj)
        return (value, self.field.label_from_instance(obj))


class ModelChoiceField(ChoiceField[_T]):
    """One object of ``queryset``, picked by its primary key (or ``to_field_name``)."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices.",
    }

    @overload
    def __init__(
        self: ModelChoiceField[_M],
        queryset: QuerySet[_M] | Manager[_M],
        *,
        required: Literal[True] = True,
        empty_label: str | None = "---------",
        to_field_name: str | None = None,
        blank: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: ModelChoiceField[_M | None],
        queryset: QuerySet[_M] | Manager[_M],
        *,
        required: bool,
        empty_label: str | None = "---------",
        to_field_name: str | None = None,
        blank: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        queryset: QuerySet[Any] | Manager[Any],
        *,
        required: bool = True,
        empty_label: str | None = "---------",
        to_field_name: str | None = None,
        blank: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None:
        self._init_model_choice(queryset, required, empty_label, to_field_name, blank, options)

    def _init_model_choice(
        self,
        queryset: QuerySet[Any] | Manager[Any],
        required: bool,
        empty_label: str | None,
        to_field_name: str | None,
        blank: bool,
        options: FieldOptions,
    ) -> None:
        widget = options.get("widget")
        radio = isinstance(widget, RadioSelect) or widget is RadioSelect
        if (required and options.get("initial") is not None) or (radio and not blank):
            empty_label = None  # nothing to un-pick
        self.empty_label = empty_label
        self.to_field_name = to_field_name
        self._loaded: list[Model] | None = None
        # Field's __init__, not ChoiceField's: ChoiceField's fixes the cleaned type to str.
        Field.__init__(self, required=required, **options)
        self.queryset = queryset

    @property
    def queryset(self) -> QuerySet[Any]:
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet[Any] | Manager[Any]) -> None:
        self._queryset: QuerySet[Any] = queryset.all()
        self._loaded = None
        if isinstance(self.widget, ChoiceWidget):
            self.widget.choices = self.choices

    @property
    def choices(self) -> ModelChoiceIterator:
        return ModelChoiceIterator(self)

    @choices.setter
    def choices(self, value: Choices) -> None:
        raise AttributeError("Set the queryset of a model choice field, not its choices.")

    def __deepcopy__(self, memo: dict[int, object]) -> ModelChoiceField[_T]:
        clone = shallow_copy(self)
        memo[id(self)] = clone
        clone.widget = self.widget.__deepcopy__(memo)
        clone.error_messages = self.error_messages.copy()
        clone.validators = self.validators[:]
        clone.queryset = self._queryset  # a fresh clone: each form evaluates its own
        return clone

    def choice_objects(self) -> list[Model]:
        """The objects offered (loaded by ``aload()``, or fetched now with the sync ORM)."""
        if self._loaded is None:
            self._loaded = list(self._queryset)
        return self._loaded

    async def aload(self) -> None:
        if self._loaded is None and isinstance(self.widget, ChoiceWidget):  # choices shown
            self._loaded = [obj async for obj in self._queryset]

    def label_from_instance(self, obj: Model) -> str:
        """An option's text: ``str(obj)``; override for another."""
        return str(obj)

    def _key_name(self) -> str:
        return self.to_field_name or "pk"

    def prepare_value(self, value: object) -> object:
        if isinstance(value, Model):
            return getattr(value, self.to_field_name) if self.to_field_name else value.pk
        return value

    def _invalid(self, value: object) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def _key(self, value: object) -> object:
        """``value`` as the key field's Python value; invalid_choice if it cannot be one.

        A key the column cannot hold (an integer out of its range) is refused here: sent to
        the database it would be an error there (and abort a PostgreSQL transaction).
        """
        if isinstance(value, Model):
            value = self.prepare_value(value)
        opts = self._queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        if not isinstance(target, models.Field):
            return value
        try:
            key = target.to_python(value)
            target.run_validators(key)
        except (ValueError, TypeError, ValidationError):
            raise self._invalid(value) from None
        if isinstance(key, int) and not _fits(target, key):
            raise self._invalid(value)
        return key

    def clean(self, value: object) -> object:
        return run(self.clean_flow(value))

    def clean_flow(self, value: object) -> Flow[object]:
        if value in self.empty_values:
            self.validate(None)
            return None
        key = self._key(value)
        if self._loaded is not None:
            found = [obj for obj in self._loaded if _key_text(self, obj) == str(key)]
            if not found:
                raise self._invalid(value)
            obj: object = found[0]
        else:
            lookup = {self._key_name(): key}
            query = self._queryset
            try:
                obj = yield Call(partial(query.get, **lookup), partial(query.aget, **lookup))
            except (ObjectDoesNotExist, ValueError, TypeError):
                raise self._invalid(value) from None
        self.run_validators(obj)
        return obj

    def validate(self, value: object) -> None:
        Field.validate(self, value)

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        before = "" if initial is None else self.prepare_value(initial)
        after = "" if data is None else data
        return str(before) != str(after)


def _fits(field: models.Field[Any], key: int) -> bool:
    """Whether an integer key fits the column of ``field`` (auto keys carry no validators)."""
    if isinstance(field, models.BigAutoField):
        bits = 64
    elif isinstance(field, models.SmallAutoField):
        bits = 16
    elif isinstance(field, models.AutoField):
        bits = 32
    else:
        bits = 64
    limit: int = 1 << (bits - 1)
    return -limit <= key < limit


def _key_text(field: ModelChoiceField[Any], obj: Model) -> str:
    return str(field.prepare_value(obj))


async def _alist(query: QuerySet[Any]) -> list[Any]:
    return [obj async for obj in query]


class ModelMultipleChoiceField(ModelChoiceField["QuerySet[_M]"], Generic[_M]):
    """Any number of objects of ``queryset``; cleaned to a (fetched) queryset of them."""

    default_widget = SelectMultiple
    hidden_widget = MultipleHiddenInput
    default_error_messages = {
        "invalid_list": "Enter a list of values.",
        "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices.",
        "invalid_pk_value": "“%(pk)s” is not a valid value.",
    }

    def __init__(
        self,
        queryset: QuerySet[_M] | Manager[_M],
        *,
        required: bool = True,
        to_field_name: str | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        self._init_model_choice(queryset, required, None, to_field_name, False, options)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple | QuerySet):
            return [super(ModelMultipleChoiceField, self).prepare_value(item) for item in value]
        return super().prepare_value(value)

    def clean_flow(self, value: object) -> Flow[object]:
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self._queryset.none()
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        keys: list[object] = []
        for item in value:
            try:
                keys.append(self._key(item))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                ) from None
        query = self._queryset.filter(**{f"{self._key_name()}__in": keys})
        found = yield Call(list, _alist, query)  # fills the queryset's cache
        present = {_key_text(self, obj) for obj in found}
        for item in value:
            if str(item) not in present:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        self.run_validators(query)
        return query

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        before = self.prepare_value(initial or [])
        after = data if isinstance(data, list | tuple) else []
        before_values = before if isinstance(before, list) else []
        return {str(v) for v in before_values} != {str(v) for v in after}


class InlineForeignKeyField(Field[models.Model]):
    """The hidden key of the parent object in an inline form; cleans to the parent.

    The model's own validation skips it: the parent may not be saved yet (it gets its key
    when the inline formset saves after it).
    """

    default_widget = HiddenInput
    default_error_messages = {
        "invalid_choice": "The inline value did not match the parent instance.",
    }

    def __init__(
        self, parent_instance: models.Model, *, to_field: str | None = None, **options: Any
    ) -> None:
        self.parent_instance = parent_instance
        self.to_field = to_field
        key = getattr(parent_instance, to_field) if to_field else parent_instance.pk
        options.setdefault("initial", key)
        super().__init__(required=False, **options)

    def clean(self, value: object) -> object:
        if value in self.empty_values:
            return self.parent_instance
        expected = self.initial
        if str(value) != str(expected):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self.parent_instance

    def has_changed(self, initial: object, data: object) -> bool:
        return False
