"""Text fields: CharField, TextField and the validated CharField flavours."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import sqlalchemy as sa
from typing_extensions import Unpack

from djanco.core import validators as v
from djanco.core.exceptions import FieldError
from djanco.db.models.fields.base import NOT_PROVIDED, Field, FieldOptions, _NotProvided

if TYPE_CHECKING:
    from djanco.db.models.base import Model

_T = TypeVar("_T")

_Str = str | Callable[[], str] | _NotProvided
_OptStr = str | None | Callable[[], str | None] | _NotProvided


class _TextBase(Field[_T]):
    passthrough_types = frozenset({str})

    def to_python(self, value: object) -> object:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value: object) -> object:
        if value is None or isinstance(value, str):
            return value
        return str(value)


class CharField(_TextBase[_T]):
    """A string of at most `max_length` characters (VARCHAR)."""

    description = "String"
    default_max_length: int | None = None

    @overload
    def __init__(
        self: CharField[str],
        *,
        max_length: int | None = None,
        null: Literal[False] = False,
        default: _Str = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: CharField[str | None],
        *,
        max_length: int | None = None,
        null: Literal[True],
        default: _OptStr = NOT_PROVIDED,
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
        if max_length is None:
            max_length = self.default_max_length
        super().__init__(max_length=max_length, null=null, default=default, **options)
        if max_length is not None:
            self._validators.append(v.MaxLengthValidator(max_length))

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        if self.max_length is None or self.max_length <= 0:
            raise FieldError(
                f"{cls.__qualname__}.{name}: {type(self).__name__} needs a positive max_length."
            )
        super().contribute_to_class(cls, name)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.String(self.max_length)


class EmailField(CharField[_T]):
    """A CharField validated as an e-mail address (max_length 254 by default)."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: EmailField[str],
            *,
            max_length: int | None = None,
            null: Literal[False] = False,
            default: _Str = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: EmailField[str | None],
            *,
            max_length: int | None = None,
            null: Literal[True],
            default: _OptStr = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    default_max_length = 254
    default_validators = (v.validate_email,)


class URLField(CharField[_T]):
    """A CharField validated as a URL (max_length 200 by default)."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: URLField[str],
            *,
            max_length: int | None = None,
            null: Literal[False] = False,
            default: _Str = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: URLField[str | None],
            *,
            max_length: int | None = None,
            null: Literal[True],
            default: _OptStr = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    default_max_length = 200
    default_validators = (v.URLValidator(),)


class SlugField(CharField[_T]):
    """Letters, digits, underscores and hyphens (max_length 50, indexed by default)."""

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: SlugField[str],
            *,
            max_length: int | None = None,
            null: Literal[False] = False,
            default: _Str = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: SlugField[str | None],
            *,
            max_length: int | None = None,
            null: Literal[True],
            default: _OptStr = NOT_PROVIDED,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    default_max_length = 50
    default_validators = (v.validate_slug,)

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        if not self.unique:
            self.db_index = True
        super().contribute_to_class(cls, name)


class TextField(_TextBase[_T]):
    """Unbounded text."""

    description = "Text"

    @overload
    def __init__(
        self: TextField[str],
        *,
        max_length: int | None = None,
        null: Literal[False] = False,
        default: _Str = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TextField[str | None],
        *,
        max_length: int | None = None,
        null: Literal[True],
        default: _OptStr = NOT_PROVIDED,
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
        super().__init__(max_length=max_length, null=null, default=default, **options)
        if max_length is not None:
            self._validators.append(v.MaxLengthValidator(max_length))

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Text()
