"""Form fields: each turns submitted text into a typed, validated Python value."""

from djanco.forms.fields.base import EMPTY_VALUES, Field, FieldOptions
from djanco.forms.fields.boolean import BooleanField, NullBooleanField
from djanco.forms.fields.choice import ChoiceField, MultipleChoiceField, TypedChoiceField
from djanco.forms.fields.files import FileField, ImageField
from djanco.forms.fields.misc import JSONField, UUIDField
from djanco.forms.fields.numeric import DecimalField, FloatField, IntegerField
from djanco.forms.fields.temporal import DateField, DateTimeField, DurationField, TimeField
from djanco.forms.fields.text import CharField, EmailField, RegexField, SlugField, URLField

__all__ = [
    "EMPTY_VALUES",
    "BooleanField",
    "CharField",
    "ChoiceField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Field",
    "FieldOptions",
    "FileField",
    "FloatField",
    "ImageField",
    "IntegerField",
    "JSONField",
    "MultipleChoiceField",
    "NullBooleanField",
    "RegexField",
    "SlugField",
    "TimeField",
    "TypedChoiceField",
    "URLField",
    "UUIDField",
]
