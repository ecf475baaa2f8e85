"""Model field types: each a typed descriptor (`Field[T]`), grouped by kind in submodules."""

from djanco.db.models.fields.base import NOT_PROVIDED, Field, FieldOptions
from djanco.db.models.fields.m2m import ManyToManyField
from djanco.db.models.fields.misc import BinaryField, JSONField, UUIDField
from djanco.db.models.fields.numeric import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    DecimalField,
    FloatField,
    IntegerField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
)
from djanco.db.models.fields.related import ForeignKey, OneToOneField
from djanco.db.models.fields.temporal import DateField, DateTimeField, DurationField, TimeField
from djanco.db.models.fields.text import CharField, EmailField, SlugField, TextField, URLField

__all__ = [
    "NOT_PROVIDED",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Field",
    "FieldOptions",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "JSONField",
    "ManyToManyField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "URLField",
    "UUIDField",
]
