"""Text fields: CharField and its validated flavours (e-mail, URL, slug, regular expression).

An empty optional text field cleans to ``empty_value`` (``""`` by default, so the cleaned type
stays ``str``); ``empty_value=None`` makes it ``str | None``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import urlsplit, urlunsplit

from typing_extensions import Unpack

from djanco.core import validators as v
from djanco.core.exceptions import ValidationError
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import EmailInput, URLInput, Widget

__all__ = ["CharField", "EmailField", "RegexField", "SlugField", "URLField"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_NOT_ONE_TEXT = (list, tuple, dict, set, bytes)  # a tuple: isinstance() on the hot path


class CharField(Field[_T]):
    """Text, stripped of surrounding whitespace (``strip=False`` keeps it)."""

    @overload
    def __init__(
        self: CharField[str],
        *,
        required: bool = True,
        max_length: int | None = None,
        min_length: int | None = None,
        strip: bool = True,
        empty_value: str = "",
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: CharField[str | None],
        *,
        required: bool = True,
        max_length: int | None = None,
        min_length: int | None = None,
        strip: bool = True,
        empty_value: None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        max_length: int | None = None,
        min_length: int | None = None,
        strip: bool = True,
        empty_value: str | None = "",
        **options: Unpack[FieldOptions],
    ) -> None:
        self.max_length = max_length
        self.min_length = min_length
        self.strip = strip
        self.empty_value = empty_value
        super().__init__(required=required, **options)
        if min_length is not None:
            self.validators.append(v.MinLengthValidator(int(min_length)))
        if max_length is not None:
            self.validators.append(v.MaxLengthValidator(int(max_length)))
        self.validators.append(v.ProhibitNullCharactersValidator())

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return self.empty_value
        if isinstance(value, _NOT_ONE_TEXT):
            raise ValidationError("Enter a valid value.", code="invalid")  # not one text value
        text = str(value)
        if self.strip:
            text = text.strip()
        return self.empty_value if text == "" else text

    def widget_attrs(self, widget: Widget) -> dict[str, object]:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            if self.max_length is not None:
                attrs["maxlength"] = str(self.max_length)
            if self.min_length is not None:
                attrs["minlength"] = str(self.min_length)
        return attrs


class EmailField(CharField[_T]):
    """An e-mail address (``<input type="email">``, at most 320 characters by default)."""

    default_widget = EmailInput
    default_validators = (v.validate_email,)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: EmailField[str],
            *,
            required: bool = True,
            max_length: int | None = 320,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: str = "",
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: EmailField[str | None],
            *,
            required: bool = True,
            max_length: int | None = 320,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: None,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    else:

        def __init__(self, *, max_length=320, **kwargs):
            super().__init__(max_length=max_length, **kwargs)


class URLField(CharField[_T]):
    """A URL; one typed without a scheme gets ``assume_scheme`` (``"https"``)."""

    default_widget = URLInput
    default_validators = (v.URLValidator(),)
    default_error_messages = {"invalid": "Enter a valid URL."}
    assume_scheme: str

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: URLField[str],
            *,
            required: bool = True,
            assume_scheme: str | None = None,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: str = "",
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: URLField[str | None],
            *,
            required: bool = True,
            assume_scheme: str | None = None,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: None,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    else:

        def __init__(self, *, assume_scheme=None, **kwargs):
            self.assume_scheme = assume_scheme or "https"
            super().__init__(**kwargs)

    def to_python(self, value: object) -> object:
        text = super().to_python(value)
        if not isinstance(text, str) or not text:
            return text
        try:
            parts = list(urlsplit(text))
        except ValueError:  # e.g. an invalid IPv6 host
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not parts[0]:
            parts[0] = self.assume_scheme
        if not parts[1]:  # "example.com/path" was read as a path: the host comes first
            host, _, path = parts[2].partition("/")
            parts[1], parts[2] = host, f"/{path}" if path else ""
        return urlunsplit(parts)


_UNICODE_SLUG = v.RegexValidator(
    r"^[-\w]+\Z",
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
)


class SlugField(CharField[_T]):
    """Letters, numbers, underscores and hyphens (any Unicode letter with ``allow_unicode``)."""

    allow_unicode: bool

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: SlugField[str],
            *,
            required: bool = True,
            allow_unicode: bool = False,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: str = "",
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: SlugField[str | None],
            *,
            required: bool = True,
            allow_unicode: bool = False,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: None,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    else:

        def __init__(self, *, allow_unicode=False, **kwargs):
            self.allow_unicode = allow_unicode
            super().__init__(**kwargs)
            self.validators.insert(0, _UNICODE_SLUG if allow_unicode else v.validate_slug)


class RegexField(CharField[_T]):
    """Text matching ``regex`` (a pattern string or compiled pattern)."""

    regex: re.Pattern[str]

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: RegexField[str],
            regex: str | re.Pattern[str],
            *,
            required: bool = True,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: str = "",
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: RegexField[str | None],
            regex: str | re.Pattern[str],
            *,
            required: bool = True,
            max_length: int | None = None,
            min_length: int | None = None,
            strip: bool = True,
            empty_value: None,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, regex: str | re.Pattern[str], **kwargs: Any) -> None: ...

    else:

        def __init__(self, regex, **kwargs):
            kwargs.setdefault("strip", False)
            super().__init__(**kwargs)
            self.regex = re.compile(regex) if isinstance(regex, str) else regex
            self.validators.append(v.RegexValidator(self.regex))
