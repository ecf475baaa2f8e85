"""The generic `Field[T]` descriptor every model field derives from."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypedDict, TypeVar, overload

import sqlalchemy as sa

from djanco.core.exceptions import FieldError, ValidationError
from djanco.core.validators import Validator

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.base import Model

_T = TypeVar("_T")

Converter = Callable[[object], object]


class _NotProvided(enum.Enum):
    NOT_PROVIDED = "NOT_PROVIDED"

    def __repr__(self) -> str:
        return "NOT_PROVIDED"


NOT_PROVIDED = _NotProvided.NOT_PROVIDED
"""Marks a field without a default (None is a valid default)."""

Choices = Iterable[tuple[object, str]] | type[enum.Enum]


class FieldOptions(TypedDict, total=False):
    """Options every field accepts, with Django's meaning."""

    verbose_name: str | None
    primary_key: bool
    unique: bool
    blank: bool
    db_index: bool
    editable: bool
    choices: Choices | None
    help_text: str
    db_column: str | None
    validators: Sequence[Validator]


_counter = itertools.count()


class Field(Generic[_T]):
    """A model field: a descriptor typed `_T` on instances and the field itself on the class.

    At run time a plain field is a non-data descriptor, so instance attribute reads hit the
    instance `__dict__` at C speed; `__get__` only runs for the class or a deferred column.
    """

    empty_strings_allowed = True
    concrete = True
    is_relation = False
    many_to_one = False
    one_to_one = False
    auto_created = False
    description = "Field"
    default_validators: tuple[Validator, ...] = ()
    passthrough_types: frozenset[type] = frozenset()
    """Value types the driver takes unchanged on every backend (skips get_db_prep_value)."""

    # Set by contribute_to_class.
    name: str
    attname: str
    column: str
    model: type[Model]

    def __init__(
        self,
        *,
        verbose_name: str | None = None,
        primary_key: bool = False,
        max_length: int | None = None,
        unique: bool = False,
        blank: bool = False,
        null: bool = False,
        db_index: bool = False,
        default: object = NOT_PROVIDED,
        editable: bool = True,
        choices: Choices | None = None,
        help_text: str = "",
        db_column: str | None = None,
        validators: Sequence[Validator] = (),
    ) -> None:
        self.verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length = max_length
        self.unique = unique or primary_key
        self.blank = blank
        self.null = null
        self.db_index = db_index
        self.default = default
        self.editable = editable
        self.choices: list[tuple[object, str]] | None = _normalize_choices(choices)
        self.help_text = help_text
        self.db_column = db_column
        self._validators = [*self.default_validators, *validators]
        self.creation_counter = next(_counter)

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: type[object]) -> Self: ...
        @overload
        def __get__(self, instance: Model, owner: type[object]) -> _T: ...
        def __get__(self, instance: Model | None, owner: type[object]) -> Self | _T: ...
        def __set__(self, instance: Model, value: _T) -> None: ...

    else:

        def __get__(self, instance, owner):
            if instance is None:
                return self
            return self._load_deferred(instance)

    def _load_deferred(self, instance: Model) -> object:
        instance.refresh_from_db(fields=[self.attname])
        return instance.__dict__[self.attname]

    # --- class wiring ---------------------------------------------------------------------

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        self.name = name
        self.attname = self.get_attname()
        self.column = self.db_column or self.attname
        self.model = cls
        if self.verbose_name is None:
            self.verbose_name = name.replace("_", " ")
        cls._meta.add_field(self)
        setattr(cls, name, self)
        if self.choices is not None and f"get_{name}_display" not in cls.__dict__:
            setattr(cls, f"get_{name}_display", _display_method(self))

    def get_attname(self) -> str:
        return self.name

    def clone(self) -> Self:
        """A fresh, unbound copy (fields inherited from abstract models are cloned)."""
        new = object.__new__(type(self))
        new.__dict__.update(
            {
                k: v
                for k, v in self.__dict__.items()
                if k not in {"name", "attname", "column", "model", "_target"}
            }
        )
        new.creation_counter = self.creation_counter
        return new

    def __repr__(self) -> str:
        path = f"{type(self).__module__}.{type(self).__qualname__}"
        name = getattr(self, "name", None)
        model = getattr(self, "model", None)
        if model is not None and name is not None:
            return f"<{path}: {model.__qualname__}.{name}>"
        return f"<{path}>"

    def __str__(self) -> str:
        model = getattr(self, "model", None)
        if model is None:
            return repr(self)
        return f"{model._meta.label}.{self.name}"

    # --- defaults ---------------------------------------------------------------------------

    def has_default(self) -> bool:
        return self.default is not NOT_PROVIDED

    def get_default(self) -> object:
        default = self.default
        if default is NOT_PROVIDED:
            if not self.empty_strings_allowed or self.null:
                return None
            return ""
        if callable(default):
            return default()
        return default

    # --- values -----------------------------------------------------------------------------

    def to_python(self, value: object) -> object:
        """Coerce a value of any reasonable type to this field's Python type (for cleaning)."""
        return value

    def get_prep_value(self, value: object) -> object:
        """Check and normalise a Python value before it is used in a query."""
        return value

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        """The value handed to the driver of the database whose operations are `ops`; None
        stays None."""
        if value is None:
            return None
        return self.get_prep_value(value)

    def get_passthrough_types(self) -> frozenset[type]:
        """Value types the driver takes as they are (no get_db_prep_value call needed)."""
        return self.passthrough_types

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        """A function turning a driver value into the Python value, or None if none is needed."""
        return None

    def pre_save(self, instance: Model, add: bool) -> object:
        return instance.__dict__.get(self.attname)

    def value_from_object(self, instance: Model) -> object:
        return instance.__dict__.get(self.attname)

    def _type_error(self, value: object, expected: str) -> ValueError:
        return ValueError(f"Field '{self.name}' expected {expected} but got {value!r}.")

    # --- schema -----------------------------------------------------------------------------

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        raise FieldError(f"{type(self).__name__} has no database type.")

    def sa_column(self) -> sa.Column[Any]:
        return sa.Column(
            self.column,
            self.sa_type(),
            primary_key=self.primary_key,
            nullable=self.null,
            unique=self.unique and not self.primary_key,
            index=self.db_index and not self.unique,
            autoincrement=False,
        )

    # --- validation -------------------------------------------------------------------------

    @property
    def validators(self) -> list[Validator]:
        return self._validators

    def run_validators(self, value: object) -> None:
        if value is None or value == "":
            return
        errors: list[str] = []
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)

    def validate(self, value: object, instance: Model) -> None:
        if not self.editable:
            return
        choices = self.choices
        if choices is not None and value not in (None, "") and value not in {c for c, _ in choices}:
            raise ValidationError(f"Value {value!r} is not a valid choice.", code="invalid_choice")
        if value is None and not self.null:
            raise ValidationError("This field cannot be null.", code="null")
        if not self.blank and value in ("", [], (), {}):
            raise ValidationError("This field cannot be blank.", code="blank")

    def clean(self, value: object, instance: Model) -> object:
        value = self.to_python(value)
        self.validate(value, instance)
        self.run_validators(value)
        return value


def _normalize_choices(choices: Choices | None) -> list[tuple[object, str]] | None:
    if choices is None:
        return None
    if isinstance(choices, type) and issubclass(choices, enum.Enum):
        return [(m.value, str(getattr(m, "label", m.name))) for m in choices]
    return [(value, label) for value, label in choices]


def _display_method(field: Field[Any]) -> Callable[[Model], object]:
    """`get_<name>_display()`: the human-readable label of the field's current value."""

    def display(self: Model) -> object:
        value = getattr(self, field.attname)
        for choice, label in field.choices or ():
            try:
                if choice == value:
                    return label
            except TypeError:  # pragma: no cover - incomparable values
                continue
        return value

    display.__name__ = f"get_{field.name}_display"
    return display
