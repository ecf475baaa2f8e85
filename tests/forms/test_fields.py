"""Each form field: what it cleans to, Django's messages, and hostile input."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
import zoneinfo

import pytest

from djanco import forms
from djanco.conf import Settings
from djanco.core.exceptions import ValidationError


def messages_of(field: forms.Field[object], value: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


def test_char_field_strips_and_limits_length() -> None:
    field = forms.CharField(max_length=5, min_length=2)
    assert field.clean("  abc ") == "abc"
    assert messages_of(field, "abcdef") == [
        "Ensure this value has at most 5 characters (it has 6)."
    ]
    assert messages_of(field, "a") == ["Ensure this value has at least 2 characters (it has 1)."]
    assert messages_of(field, "") == ["This field is required."]
    assert messages_of(field, "a\x00b") == ["Null characters are not allowed."]
    assert field.widget.attrs == {"maxlength": "5", "minlength": "2"}


def test_optional_char_field_empty_value() -> None:
    assert forms.CharField(required=False).clean("   ") == ""
    assert forms.CharField(required=False, empty_value=None).clean("") is None
    assert forms.CharField(strip=False).clean(" a ") == " a "


def test_integer_field() -> None:
    field = forms.IntegerField(min_value=1, max_value=10, step_size=2)
    assert field.clean(" 4 ") == 4
    assert field.clean("4.0") == 4
    assert messages_of(field, "4.5") == ["Enter a whole number."]
    assert messages_of(field, "12") == ["Ensure this value is less than or equal to 10."]
    assert messages_of(field, "0") == ["Ensure this value is greater than or equal to 1."]
    assert messages_of(field, "3") == ["Ensure this value is a multiple of step size 2."]
    assert field.widget.attrs == {"min": 1, "max": 10, "step": 2}
    assert forms.IntegerField(required=False).clean("") is None
    assert messages_of(forms.IntegerField(), "9" * 5000) == ["Enter a whole number."]


def test_float_and_decimal_fields() -> None:
    assert forms.FloatField().clean("1.5") == 1.5
    assert messages_of(forms.FloatField(), "inf") == ["Enter a number."]
    assert messages_of(forms.FloatField(), "nan") == ["Enter a number."]
    assert forms.FloatField().widget.attrs == {"step": "any"}
    price = forms.DecimalField(max_digits=5, decimal_places=2)
    assert price.clean("12.50") == decimal.Decimal("12.50")
    assert messages_of(price, "1.234") == ["Ensure that there are no more than 2 decimal places."]
    assert messages_of(price, "NaN") == ["Enter a number."]
    assert messages_of(price, "abc") == ["Enter a number."]
    assert price.widget.attrs == {"step": "0.01"}


def test_boolean_fields() -> None:
    assert forms.BooleanField(required=False).clean("") is False
    assert forms.BooleanField(required=False).clean("false") is False
    assert forms.BooleanField(required=False).clean("on") is True
    assert messages_of(forms.BooleanField(), False) == ["This field is required."]
    nullable = forms.NullBooleanField()
    assert [nullable.clean(v) for v in ("true", "false", "", "unknown")] == [
        True,
        False,
        None,
        None,
    ]


class Size(enum.Enum):
    SMALL = "s"
    LARGE = "l"


def test_choice_fields() -> None:
    field = forms.ChoiceField(choices=[("a", "A"), ("Group", [("b", "B"), ("c", "C")])])
    assert field.clean("c") == "c"
    assert messages_of(field, "z") == [
        "Select a valid choice. z is not one of the available choices."
    ]
    assert forms.ChoiceField(choices={"x": "X"}).clean("x") == "x"
    assert forms.ChoiceField(choices=Size).clean("l") == "l"
    assert forms.ChoiceField(choices=lambda: [("late", "Late")]).clean("late") == "late"
    typed = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    assert typed.clean("2") == 2
    optional = forms.TypedChoiceField(
        choices=[(1, "One")], coerce=int, required=False, empty_value=None
    )
    assert optional.clean("") is None
    multiple = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    assert multiple.clean(["a", "b"]) == ["a", "b"]
    assert messages_of(multiple, "a") == ["Enter a list of values."]
    assert messages_of(multiple, ["a", "x"]) == [
        "Select a valid choice. x is not one of the available choices."
    ]
    assert messages_of(multiple, []) == ["This field is required."]


def test_date_and_time_fields(settings: Settings) -> None:
    settings.USE_TZ = False
    assert forms.DateField().clean("2024-02-29") == dt.date(2024, 2, 29)
    assert forms.DateField().clean("02/29/2024") == dt.date(2024, 2, 29)
    assert messages_of(forms.DateField(), "2023-02-29") == ["Enter a valid date."]
    assert forms.TimeField().clean("13:05") == dt.time(13, 5)
    assert messages_of(forms.TimeField(), "25:00") == ["Enter a valid time."]
    assert forms.DateTimeField().clean("2024-01-02T03:04") == dt.datetime(2024, 1, 2, 3, 4)
    assert forms.DateTimeField().clean("2024-01-02") == dt.datetime(2024, 1, 2)
    assert messages_of(forms.DateTimeField(), "soon") == ["Enter a valid date/time."]
    assert forms.DateField(input_formats=["%d.%m.%Y"]).clean("01.02.2024") == dt.date(2024, 2, 1)


def test_datetime_is_aware_in_time_zone_under_use_tz(settings: Settings) -> None:
    settings.USE_TZ = True
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    field = forms.DateTimeField()
    cleaned = field.clean("2024-07-01 12:00")
    assert cleaned == dt.datetime(2024, 7, 1, 12, 0, tzinfo=paris)
    assert isinstance(cleaned, dt.datetime)
    assert cleaned.utcoffset() == dt.timedelta(hours=2)
    assert field.clean("2024-07-01T12:00+00:00") == dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC)
    # Shown again in TIME_ZONE, without the offset.
    assert field.prepare_value(dt.datetime(2024, 7, 1, 10, tzinfo=dt.UTC)) == dt.datetime(
        2024, 7, 1, 12
    )
    # 02:30 on the night clocks go forward does not exist in Paris.
    assert messages_of(field, "2024-03-31 02:30") == [
        "2024-03-31 02:30:00 couldn’t be interpreted in time zone Europe/Paris; it may be "  # noqa: RUF001
        "ambiguous or it may not exist."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", dt.timedelta(seconds=30)),
        ("1:30", dt.timedelta(minutes=1, seconds=30)),
        ("2:01:30.5", dt.timedelta(hours=2, minutes=1, seconds=30, milliseconds=500)),
        ("3 02:00:00", dt.timedelta(days=3, hours=2)),
        ("-1 days, 23:00:00", dt.timedelta(hours=-1)),
        ("P1DT2H", dt.timedelta(days=1, hours=2)),
        ("PT0.5S", dt.timedelta(milliseconds=500)),
    ],
)
def test_duration_field_reads(text: str, expected: dt.timedelta) -> None:
    assert forms.DurationField().clean(text) == expected


def test_duration_field_round_trips_and_refuses() -> None:
    field = forms.DurationField()
    value = dt.timedelta(days=2, hours=3, microseconds=7)
    shown = field.prepare_value(value)
    assert shown == "2 03:00:00.000007"
    assert field.clean(shown) == value
    assert messages_of(field, "later") == ["Enter a valid duration."]
    assert messages_of(field, f"{10**10} 00:00:00") == [
        "The number of days must be between -999999999 and 999999999."
    ]


def test_text_flavours() -> None:
    assert forms.EmailField().clean(" ann@example.com ") == "ann@example.com"
    assert messages_of(forms.EmailField(), "ann@") == ["Enter a valid email address."]
    assert forms.URLField().clean("example.com/path") == "https://example.com/path"
    assert forms.URLField().clean("http://example.com") == "http://example.com"
    assert messages_of(forms.URLField(), "http://") == ["Enter a valid URL."]
    assert messages_of(forms.URLField(), "http://[::1") == ["Enter a valid URL."]
    assert forms.SlugField().clean("a-b_c") == "a-b_c"
    assert messages_of(forms.SlugField(), "a b") == [
        "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
    ]
    assert forms.SlugField(allow_unicode=True).clean("été") == "été"
    assert forms.RegexField(r"^\d{3}$").clean("123") == "123"
    assert messages_of(forms.RegexField(r"^\d{3}$"), "12") == ["Enter a valid value."]


def test_uuid_and_json_fields() -> None:
    value = uuid.uuid4()
    assert forms.UUIDField().clean(str(value)) == value
    assert forms.UUIDField().clean(value.hex) == value
    assert forms.UUIDField(required=False).clean("") is None
    assert messages_of(forms.UUIDField(), "nope") == ["Enter a valid UUID."]
    field = forms.JSONField()
    assert field.clean('{"a": [1, 2]}') == {"a": [1, 2]}
    assert messages_of(field, "{bad") == ["Enter a valid JSON."]
    assert messages_of(field, "[" * 100_000) == ["Enter a valid JSON."]
    assert field.prepare_value({"é": 1}) == '{"é": 1}'
    assert not field.has_changed({"a": 1, "b": 2}, '{"b": 2, "a": 1}')
    assert field.has_changed({"a": 1}, '{"a": true}')


def test_error_messages_override_by_code() -> None:
    field = forms.CharField(
        max_length=2, error_messages={"required": "Tell us!", "max_length": "Max %(limit_value)d."}
    )
    assert messages_of(field, "") == ["Tell us!"]
    assert messages_of(field, "abc") == ["Max 2."]


def test_validators_run_after_to_python_and_keep_their_codes() -> None:
    def even(value: object) -> None:
        if isinstance(value, int) and value % 2:
            raise ValidationError("Odd!", code="odd")

    field = forms.IntegerField(validators=[even], max_value=3)
    with pytest.raises(ValidationError) as caught:
        field.clean("5")
    assert caught.value.messages == ["Odd!", "Ensure this value is less than or equal to 3."]


HOSTILE = [
    None,
    "",
    "   ",
    "\x00",
    "<script>alert(1)</script>",
    "9" * 10_000,
    ["a", "b"],
    {"a": 1},
    42,
    -1.5,
    True,
    b"bytes",
    object(),
]

ALL_FIELDS: list[forms.Field[object]] = [
    forms.CharField(max_length=10),
    forms.IntegerField(),
    forms.DecimalField(max_digits=4, decimal_places=1),
    forms.FloatField(),
    forms.BooleanField(),
    forms.NullBooleanField(),
    forms.ChoiceField(choices=[("a", "A")]),
    forms.TypedChoiceField(choices=[(1, "1")], coerce=int),
    forms.MultipleChoiceField(choices=[("a", "A")]),
    forms.DateField(),
    forms.DateTimeField(),
    forms.TimeField(),
    forms.DurationField(),
    forms.EmailField(),
    forms.URLField(),
    forms.SlugField(),
    forms.UUIDField(),
    forms.JSONField(),
    forms.RegexField(r"^a$"),
    forms.FileField(),
    forms.ImageField(),
]


@pytest.mark.parametrize("field", ALL_FIELDS, ids=lambda f: type(f).__name__)
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_wrong_types_are_validation_errors_never_crashes(
    field: forms.Field[object], value: object
) -> None:
    try:
        field.clean(value)
    except ValidationError as exc:
        assert exc.messages
