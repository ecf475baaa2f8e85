"""Numeric fields: integers, auto-increment keys, floats, decimals and booleans."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import sqlalchemy as sa
from typing_extensions import Unpack

from djanco.core import validators as v
from djanco.core.exceptions import FieldError, ValidationError
from djanco.db.models.fields.base import NOT_PROVIDED, Field, FieldOptions, _NotProvided

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.base import Model

_T = TypeVar("_T")
_OptDecimalDefault = (
    decimal.Decimal | int | None | Callable[[], decimal.Decimal | None] | _NotProvided
)


def _to_int(field: Field[Any], value: object) -> int:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | decimal.Decimal) and value == int(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise field._type_error(value, "a number")


class IntegerField(Field[_T]):
    """A 32-bit signed integer."""

    empty_strings_allowed = False
    description = "Integer"
    passthrough_types = frozenset({int})
    _range: tuple[int, int] = (-(2**31), 2**31 - 1)

    @overload
    def __init__(
        self: IntegerField[int],
        *,
        null: Literal[False] = False,
        default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: IntegerField[int | None],
        *,
        null: Literal[True],
        default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, **options)
        low, high = self._range
        self._validators += [v.MinValueValidator(low), v.MaxValueValidator(high)]

    def to_python(self, value: object) -> object:
        if value is None:
            return None
        try:
            return _to_int(self, value)
        except ValueError:
            raise ValidationError(f"“{value}” value must be an integer.", code="invalid") from None

    def get_prep_value(self, value: object) -> object:
        if value is None:
            return None
        return _to_int(self, value)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Integer()


class BigIntegerField(IntegerField[_T]):
    """A 64-bit signed integer."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: BigIntegerField[int],
            *,
            null: Literal[False] = False,
            default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: BigIntegerField[int | None],
            *,
            null: Literal[True],
            default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    _range = (-(2**63), 2**63 - 1)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.BigInteger()


class SmallIntegerField(IntegerField[_T]):
    """A 16-bit signed integer."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: SmallIntegerField[int],
            *,
            null: Literal[False] = False,
            default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: SmallIntegerField[int | None],
            *,
            null: Literal[True],
            default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    _range = (-(2**15), 2**15 - 1)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.SmallInteger()


class PositiveIntegerField(IntegerField[_T]):
    """A non-negative 32-bit integer."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveIntegerField[int],
            *,
            null: Literal[False] = False,
            default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: PositiveIntegerField[int | None],
            *,
            null: Literal[True],
            default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    _range = (0, 2**31 - 1)


class PositiveBigIntegerField(BigIntegerField[_T]):
    """A non-negative 64-bit integer."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveBigIntegerField[int],
            *,
            null: Literal[False] = False,
            default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: PositiveBigIntegerField[int | None],
            *,
            null: Literal[True],
            default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    _range = (0, 2**63 - 1)


class PositiveSmallIntegerField(SmallIntegerField[_T]):
    """A non-negative 16-bit integer."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveSmallIntegerField[int],
            *,
            null: Literal[False] = False,
            default: int | Callable[[], int] | _NotProvided = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: PositiveSmallIntegerField[int | None],
            *,
            null: Literal[True],
            default: int | Callable[[], int | None] | _NotProvided | None = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    _range = (0, 2**15 - 1)


class AutoField(Field[int]):
    """A 32-bit integer primary key the database assigns on insert."""

    empty_strings_allowed = False
    passthrough_types = frozenset({int})
    description = "Integer"

    def __init__(self, **options: Unpack[FieldOptions]) -> None:
        options.setdefault("blank", True)
        super().__init__(**options)

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        if not self.primary_key:
            raise FieldError(
                f"{cls.__qualname__}.{name}: {type(self).__name__} must set primary_key=True."
            )
        super().contribute_to_class(cls, name)

    def get_prep_value(self, value: object) -> object:
        if value is None:
            return None
        return _to_int(self, value)

    def to_python(self, value: object) -> object:
        return IntegerField.to_python(self, value)  # type: ignore[arg-type]

    def validate(self, value: object, instance: Model) -> None:
        pass

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Integer()

    def sa_column(self) -> sa.Column[Any]:
        column = super().sa_column()
        column.autoincrement = True
        return column


class BigAutoField(AutoField):
    """A 64-bit integer primary key the database assigns on insert (the default `id`)."""

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        # SQLite only auto-assigns an INTEGER PRIMARY KEY (the rowid alias).
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class SmallAutoField(AutoField):
    """A 16-bit integer primary key the database assigns on insert."""

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.SmallInteger().with_variant(sa.Integer(), "sqlite")


def _to_float(field: Field[Any], value: object) -> float:
    if isinstance(value, float | int | decimal.Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise field._type_error(value, "a number")


class FloatField(Field[_T]):
    """A double-precision float."""

    empty_strings_allowed = False
    description = "Floating point number"
    passthrough_types = frozenset({float})

    @overload
    def __init__(
        self: FloatField[float],
        *,
        null: Literal[False] = False,
        default: float | Callable[[], float] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: FloatField[float | None],
        *,
        null: Literal[True],
        default: float | Callable[[], float | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, **options)

    def to_python(self, value: object) -> object:
        if value is None:
            return None
        try:
            return _to_float(self, value)
        except ValueError:
            raise ValidationError(f"“{value}” value must be a float.", code="invalid") from None

    def get_prep_value(self, value: object) -> object:
        return None if value is None else _to_float(self, value)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Double()


class DecimalField(Field[_T]):
    """A fixed-precision decimal number (`max_digits`, `decimal_places`)."""

    empty_strings_allowed = False
    description = "Decimal number"
    passthrough_types = frozenset({decimal.Decimal})

    @overload
    def __init__(
        self: DecimalField[decimal.Decimal],
        *,
        max_digits: int,
        decimal_places: int,
        null: Literal[False] = False,
        default: decimal.Decimal
        | int
        | Callable[[], decimal.Decimal]
        | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DecimalField[decimal.Decimal | None],
        *,
        max_digits: int,
        decimal_places: int,
        null: Literal[True],
        default: _OptDecimalDefault = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        max_digits: int,
        decimal_places: int,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(null=null, default=default, **options)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self._quantum = decimal.Decimal(1).scaleb(-decimal_places)

    def _to_decimal(self, value: object) -> decimal.Decimal:
        if isinstance(value, decimal.Decimal):
            return value
        if isinstance(value, float):
            return decimal.Decimal(repr(value))
        if isinstance(value, int | str):
            try:
                return decimal.Decimal(value)
            except decimal.InvalidOperation:
                pass
        raise self._type_error(value, "a decimal number")

    def to_python(self, value: object) -> object:
        if value is None:
            return None
        try:
            return self._to_decimal(value)
        except ValueError:
            raise ValidationError(f"“{value}” value must be a decimal number.") from None

    def get_prep_value(self, value: object) -> object:
        return None if value is None else self._to_decimal(value)

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        if value is None:
            return None
        return self._to_decimal(value)

    def validate(self, value: object, instance: Model) -> None:
        super().validate(value, instance)
        if isinstance(value, decimal.Decimal) and value.is_finite():
            _sign, digits, exponent = value.as_tuple()
            assert isinstance(exponent, int)
            places = max(-exponent, 0)
            whole = max(len(digits) + exponent, 0) if exponent < 0 else len(digits) + exponent
            if places > self.decimal_places:
                raise ValidationError(
                    f"Ensure that there are no more than {self.decimal_places} decimal places."
                )
            if whole > self.max_digits - self.decimal_places:
                raise ValidationError(
                    f"Ensure that there are no more than "
                    f"{self.max_digits - self.decimal_places} digits before the decimal point."
                )

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Numeric(self.max_digits, self.decimal_places)


_TRUE = {True, "1", "t", "true", "True"}
_FALSE = {False, "0", "f", "false", "False"}


class BooleanField(Field[_T]):
    """True or False (`null=True` for a three-state value)."""

    empty_strings_allowed = False
    description = "Boolean (Either True or False)"
    passthrough_types = frozenset({bool})

    @overload
    def __init__(
        self: BooleanField[bool],
        *,
        null: Literal[False] = False,
        default: bool | Callable[[], bool] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: BooleanField[bool | None],
        *,
        null: Literal[True],
        default: bool | Callable[[], bool | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        if default is not NOT_PROVIDED:
            options.setdefault("blank", True)
        super().__init__(null=null, default=default, **options)

    def to_python(self, value: object) -> object:
        if value is None and self.null:
            return None
        if isinstance(value, bool | int | str):
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
        raise ValidationError(f"“{value}” value must be either True or False.", code="invalid")

    def get_prep_value(self, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, bool | int | str):
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
        raise self._type_error(value, "a boolean")

    def validate(self, value: object, instance: Model) -> None:
        if value is None and not self.null:
            raise ValidationError("This field cannot be null.", code="null")

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Boolean(create_constraint=False)
