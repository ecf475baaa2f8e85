"""Every field class of djanco.db.models, with and without null=True: the instance type.

Never run: mypy --strict and pyright read it. Field __init__ overloads are copied from class
to class (typing without a plugin); an overload copied wrong shows up here as a wrong type.
tests/db/models/test_field_types_asserted.py fails when an exported field class is missing.
Choices never change a field's type: two assertions show it. A declaration the checkers
refuse (null=True where a field cannot be null) carries the expected error as an ignore.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import assert_type

from djanco.db import models


class Status(models.TextChoices):
    DRAFT = "d", "Draft"
    PUBLISHED = "p", "Published"


class Size(models.IntegerChoices):
    SMALL = 1, "Small"


class Target(models.Model):
    name = models.CharField(max_length=20)


class Scalars(models.Model):
    big_integer = models.BigIntegerField()
    big_integer_null = models.BigIntegerField(null=True)
    binary = models.BinaryField()
    binary_null = models.BinaryField(null=True)
    boolean = models.BooleanField()
    boolean_null = models.BooleanField(null=True)
    char = models.CharField(max_length=10)
    char_null = models.CharField(max_length=10, null=True)
    char_choices = models.CharField(max_length=1, choices=Status)
    date = models.DateField()
    date_null = models.DateField(null=True)
    date_time = models.DateTimeField()
    date_time_null = models.DateTimeField(null=True)
    decimal = models.DecimalField(max_digits=5, decimal_places=2)
    decimal_null = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    duration = models.DurationField()
    duration_null = models.DurationField(null=True)
    email = models.EmailField()
    email_null = models.EmailField(null=True)
    float = models.FloatField()
    float_null = models.FloatField(null=True)
    integer = models.IntegerField()
    integer_null = models.IntegerField(null=True)
    integer_choices = models.IntegerField(choices=Size)
    json = models.JSONField()
    json_null = models.JSONField(null=True)
    positive_big_integer = models.PositiveBigIntegerField()
    positive_big_integer_null = models.PositiveBigIntegerField(null=True)
    positive_integer = models.PositiveIntegerField()
    positive_integer_null = models.PositiveIntegerField(null=True)
    positive_small_integer = models.PositiveSmallIntegerField()
    positive_small_integer_null = models.PositiveSmallIntegerField(null=True)
    slug = models.SlugField()
    slug_null = models.SlugField(null=True)
    small_integer = models.SmallIntegerField()
    small_integer_null = models.SmallIntegerField(null=True)
    text = models.TextField()
    text_null = models.TextField(null=True)
    time = models.TimeField()
    time_null = models.TimeField(null=True)
    url = models.URLField()
    url_null = models.URLField(null=True)
    uuid = models.UUIDField()
    uuid_null = models.UUIDField(null=True)


def check_scalars(m: Scalars) -> None:
    assert_type(m.big_integer, int)
    assert_type(m.big_integer_null, int | None)
    assert_type(m.binary, bytes)
    assert_type(m.binary_null, bytes | None)
    assert_type(m.boolean, bool)
    assert_type(m.boolean_null, bool | None)
    assert_type(m.char, str)
    assert_type(m.char_null, str | None)
    assert_type(m.char_choices, str)
    assert_type(m.date, dt.date)
    assert_type(m.date_null, dt.date | None)
    assert_type(m.date_time, dt.datetime)
    assert_type(m.date_time_null, dt.datetime | None)
    assert_type(m.decimal, decimal.Decimal)
    assert_type(m.decimal_null, decimal.Decimal | None)
    assert_type(m.duration, dt.timedelta)
    assert_type(m.duration_null, dt.timedelta | None)
    assert_type(m.email, str)
    assert_type(m.email_null, str | None)
    assert_type(m.float, float)
    assert_type(m.float_null, float | None)
    assert_type(m.integer, int)
    assert_type(m.integer_null, int | None)
    assert_type(m.integer_choices, int)
    assert_type(m.json, object)  # any JSON value; annotate JSONField[T] for a precise type
    assert_type(m.json_null, object)
    assert_type(m.positive_big_integer, int)
    assert_type(m.positive_big_integer_null, int | None)
    assert_type(m.positive_integer, int)
    assert_type(m.positive_integer_null, int | None)
    assert_type(m.positive_small_integer, int)
    assert_type(m.positive_small_integer_null, int | None)
    assert_type(m.slug, str)
    assert_type(m.slug_null, str | None)
    assert_type(m.small_integer, int)
    assert_type(m.small_integer_null, int | None)
    assert_type(m.text, str)
    assert_type(m.text_null, str | None)
    assert_type(m.time, dt.time)
    assert_type(m.time_null, dt.time | None)
    assert_type(m.url, str)
    assert_type(m.url_null, str | None)
    assert_type(m.uuid, uuid.UUID)
    assert_type(m.uuid_null, uuid.UUID | None)


class Relations(models.Model):
    foreign_key = models.ForeignKey(Target, on_delete=models.CASCADE)
    foreign_key_null = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True)
    # OneToOneField has no __init__ overloads of its own (ForeignKey's bind `self:
    # ForeignKey[...]`), so both checkers lose its type. The ignores below mark that bug:
    # once OneToOneField has its overloads, they are unused and the checkers say so.
    one_to_one = models.OneToOneField(  # type: ignore[var-annotated]
        Target, on_delete=models.CASCADE, related_name="+"
    )
    one_to_one_null = models.OneToOneField(  # type: ignore[var-annotated]
        Target, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    many_to_many = models.ManyToManyField(Target, related_name="+")
    # A many-to-many relation is never null: the option does not exist.
    many_to_many_null = models.ManyToManyField(Target, null=True)  # type: ignore[call-overload]


def check_relations(m: Relations) -> None:
    assert_type(m.foreign_key, Target)
    assert_type(m.foreign_key.name, str)
    assert_type(m.foreign_key_null, Target | None)
    assert_type(m.one_to_one, Target)  # type: ignore[assert-type]
    assert_type(m.one_to_one_null, Target | None)  # type: ignore[assert-type]
    assert_type(m.many_to_many, models.ManyRelatedManager[Target])


# Auto fields are primary keys, which cannot be null: null=True is refused.
class Auto(models.Model):
    auto = models.AutoField(primary_key=True)
    auto_null = models.AutoField(primary_key=True, null=True)  # type: ignore[call-arg]


class BigAuto(models.Model):
    big_auto = models.BigAutoField(primary_key=True)
    big_auto_null = models.BigAutoField(primary_key=True, null=True)  # type: ignore[call-arg]


class SmallAuto(models.Model):
    small_auto = models.SmallAutoField(primary_key=True)
    small_auto_null = models.SmallAutoField(primary_key=True, null=True)  # type: ignore[call-arg]


def check_auto(auto: Auto, big: BigAuto, small: SmallAuto) -> None:
    assert_type(auto.auto, int)
    assert_type(big.big_auto, int)
    assert_type(small.small_auto, int)
