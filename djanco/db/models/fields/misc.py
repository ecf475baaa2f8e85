"""UUIDField, JSONField and BinaryField."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, overload

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from typing_extensions import TypeVar, Unpack

from djanco.core.exceptions import ValidationError
from djanco.db.models.fields.base import NOT_PROVIDED, Converter, Field, FieldOptions, _NotProvided

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations

_T = TypeVar("_T")
_J = TypeVar("_J", default=object)  # JSONField's value type unless annotated


class UUIDField(Field[_T]):
    """A UUID: native on PostgreSQL, 32 hex characters elsewhere."""

    empty_strings_allowed = False
    description = "Universally unique identifier"

    @overload
    def __init__(
        self: UUIDField[uuid.UUID],
        *,
        null: Literal[False] = False,
        default: uuid.UUID | Callable[[], uuid.UUID] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: UUIDField[uuid.UUID | None],
        *,
        null: Literal[True],
        default: uuid.UUID | Callable[[], uuid.UUID | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, max_length=32, **options)

    def _parse(self, value: object) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        try:
            if isinstance(value, str):
                return uuid.UUID(value)
            if isinstance(value, int):
                return uuid.UUID(int=value)
        except ValueError:
            pass
        raise self._type_error(value, "a UUID")

    def get_prep_value(self, value: object) -> object:
        return None if value is None else self._parse(value)

    def to_python(self, value: object) -> object:
        try:
            return self.get_prep_value(value)
        except ValueError:
            raise ValidationError(f"“{value}” is not a valid UUID.", code="invalid") from None

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        if value is None:
            return None
        return self._parse(value)

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        return _to_uuid

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Uuid()


def _to_uuid(value: object) -> object:
    if value is None or type(value) is uuid.UUID:
        return value
    return uuid.UUID(str(value))  # hex strings, or a driver's own UUID subclass (asyncpg)


class JSONField(Field[_J]):
    """Any JSON-serialisable value: jsonb on PostgreSQL, JSON text elsewhere.

    The value is typed `object`; annotate for a precise type:
    `tags: JSONField[list[str]] = JSONField(default=list)`.
    """

    empty_strings_allowed = False
    description = "A JSON object"

    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, **options)

    def get_prep_value(self, value: object) -> object:
        """The value, once known to be JSON serialisable (else a ValueError naming the field)."""
        if value is not None:
            try:
                json.dumps(value)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"Field '{self.name}': value is not JSON serialisable: {exc}"
                ) from None
        return value

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.JSON(none_as_null=True).with_variant(
            postgresql.JSONB(none_as_null=True), "postgresql"
        )


class BinaryField(Field[_T]):
    """Raw bytes."""

    empty_strings_allowed = True
    description = "Raw binary data"

    @overload
    def __init__(
        self: BinaryField[bytes],
        *,
        max_length: int | None = None,
        null: Literal[False] = False,
        default: bytes | Callable[[], bytes] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: BinaryField[bytes | None],
        *,
        max_length: int | None = None,
        null: Literal[True],
        default: bytes | Callable[[], bytes | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        max_length: int | None = None,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        options.setdefault("editable", False)
        super().__init__(null=null, default=default, max_length=max_length, **options)

    def get_default(self) -> object:
        if not self.has_default() and not self.null:
            return b""
        return super().get_default()

    def get_prep_value(self, value: object) -> object:
        if value is None or isinstance(value, bytes):
            return value
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        raise self._type_error(value, "bytes")

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        return _to_bytes

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.LargeBinary(self.max_length)


def _to_bytes(value: object) -> object:
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    return value
