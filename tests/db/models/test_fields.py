"""Field types round-trip on every backend; validation with full_clean()."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest

from djanco.core.exceptions import FieldError, ValidationError
from djanco.db import DatabaseWrapper, IntegrityError
from djanco.db.models import CharField, Model
from djanco.db.transaction import atomic
from tests.db.models.models import ALL, Article, Author, Kitchen, Stamped, Status, Tag

pytestmark = pytest.mark.tables(*ALL)


def test_every_type_round_trips(connection: DatabaseWrapper) -> None:
    when = dt.datetime(2024, 2, 29, 23, 59, 58, 999999, tzinfo=dt.UTC)
    token = uuid.uuid4()
    values = {
        "text": "héllo",
        "big": 2**62,
        "small": -300,
        "ratio": 0.25,
        "price": decimal.Decimal("12345678.90"),
        "flag": True,
        "maybe": None,
        "day": dt.date(2024, 2, 29),
        "moment": when,
        "clock": dt.time(13, 14, 15, 160000),
        "span": dt.timedelta(days=3, seconds=5, microseconds=7),
        "token": token,
        "data": {"a": [1, 2, {"b": None}], "c": "d"},
        "blob": b"\x00\x01\xffbytes",
        "slug": "a-slug",
        "url": "https://example.com/x",
    }
    obj = Kitchen.objects.create(**values)
    fresh = Kitchen.objects.get(pk=obj.pk)
    for name, value in values.items():
        assert getattr(fresh, name) == value, name
        if value is not None:
            assert type(getattr(fresh, name)) is type(value), name
    assert Kitchen.objects.filter(token=token).count() == 1
    assert Kitchen.objects.filter(token=str(token)).count() == 1
    assert Kitchen.objects.filter(moment=when).count() == 1
    assert Kitchen.objects.filter(day__lt=dt.date(2025, 1, 1)).count() == 1
    assert Kitchen.objects.filter(price__gt=decimal.Decimal("1.5")).count() == 1
    assert Kitchen.objects.filter(flag=True).count() == 1
    empty = Kitchen.objects.create()
    assert Kitchen.objects.get(pk=empty.pk).data is None


def test_date_transforms(connection: DatabaseWrapper) -> None:
    when = dt.datetime(2024, 3, 10, 22, 30, tzinfo=dt.UTC)  # a Sunday
    Kitchen.objects.create(moment=when, day=dt.date(2023, 12, 31))
    assert Kitchen.objects.filter(moment__year=2024).count() == 1
    assert Kitchen.objects.filter(moment__year__gte=2025).count() == 0
    assert Kitchen.objects.filter(moment__month=3, moment__day=10).count() == 1
    assert Kitchen.objects.filter(moment__hour=22).count() == 1
    assert Kitchen.objects.filter(moment__week_day=1).count() == 1
    assert Kitchen.objects.filter(moment__date=dt.date(2024, 3, 10)).count() == 1
    assert Kitchen.objects.filter(day__year=2023, day__month=12).count() == 1
    assert list(Kitchen.objects.values_list("moment__year", flat=True)) == [2024]


def test_uuid_primary_key_default(connection: DatabaseWrapper) -> None:
    tag = Tag.objects.create(label="x")
    assert isinstance(tag.pk, uuid.UUID)
    assert Tag.objects.get(pk=tag.pk).label == "x"
    tag.label = "y"
    tag.save()
    assert Tag.objects.count() == 1


def test_auto_now(connection: DatabaseWrapper) -> None:
    obj = Stamped.objects.create()
    assert obj.created.tzinfo is not None
    first_modified = obj.modified
    obj.save()
    assert obj.modified >= first_modified
    fresh = Stamped.objects.get(pk=obj.pk)
    assert fresh.created == obj.created
    assert fresh.day == obj.created.date()


def test_choices_enum() -> None:
    assert Status.DRAFT == "d"
    assert Status.DRAFT.label == "Draft"
    assert Article._meta.get_field("status").choices == [("d", "Draft"), ("p", "Published")]  # type: ignore[union-attr]


def test_full_clean_collects_errors(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Ann", email="ann@example.com")
    article = Article(title="x" * 201, status="z", author=author)
    with pytest.raises(ValidationError) as exc:
        article.full_clean()
    errors = exc.value.message_dict
    assert "Ensure this value has at most 200 characters (it has 201)." in errors["title"]
    assert errors["status"] == ["Value 'z' is not a valid choice."]
    dup = Author(name="", email="ann@example.com")
    with pytest.raises(ValidationError) as exc:
        dup.full_clean()
    assert exc.value.message_dict["name"] == ["This field cannot be blank."]
    assert exc.value.message_dict["email"] == ["Author with this Email already exists."]
    bad_email = Author(name="B", email="not-an-email")
    with pytest.raises(ValidationError, match="valid email"):
        bad_email.full_clean()
    Author(name="ok", email="ok@example.com").full_clean()


def test_unique_violation_keeps_connection_usable(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="a", email="same@example.com")
    with pytest.raises(IntegrityError), atomic():
        Author.objects.create(name="b", email="same@example.com")
    assert Author.objects.count() == 1


def test_meta_and_table() -> None:
    opts = Article._meta
    assert opts.app_label == "modeltests"
    assert opts.model_name == "article"
    assert opts.db_table == "modeltests_article"
    assert opts.pk is not None and opts.pk.name == "id"
    assert [f.name for f in opts.fields] == [
        "id",
        "title",
        "body",
        "status",
        "views",
        "published",
        "author",
        "editor",
    ]
    assert set(opts.table.c.keys()) == {
        "id",
        "title",
        "body",
        "status",
        "views",
        "published",
        "author_id",
        "editor_id",
    }
    assert opts.verbose_name_plural == "articles"
    with pytest.raises(Exception, match="Article has no field named 'nope'"):
        opts.get_field("nope")


def test_bad_declarations() -> None:
    with pytest.raises(FieldError, match="needs a positive max_length"):

        class Bad(Model):
            name = CharField()

            class Meta:
                app_label = "modeltests"

    with pytest.raises(TypeError, match="invalid attribute"):

        class Bad2(Model):
            class Meta:
                app_label = "modeltests"
                ordring = ["x"]


def test_abstract_inheritance() -> None:
    class Base(Model):
        name = CharField(max_length=10)

        class Meta:
            abstract = True
            ordering = ["name"]

    class Child(Base):
        extra = CharField(max_length=5)

        class Meta:
            app_label = "modeltests"

    assert [f.name for f in Child._meta.fields] == ["id", "name", "extra"]
    assert Child._meta.get_field("name") is not Base._meta.get_field("name")
    with pytest.raises(TypeError, match="Abstract models cannot be instantiated"):
        Base(name="x")
    with pytest.raises(AttributeError, match="abstract"):
        Base.objects  # noqa: B018


def test_use_tz_off_gives_naive_datetimes(connection: DatabaseWrapper) -> None:
    from djanco.conf import settings

    Kitchen.objects.create(moment=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC))
    settings.USE_TZ = False
    try:
        naive = Kitchen.objects.get()
        assert naive.moment == dt.datetime(2024, 1, 1, 12)
        assert naive.moment is not None and naive.moment.tzinfo is None
        naive.moment = dt.datetime(2024, 1, 2)  # accepted without time zone support
    finally:
        settings.USE_TZ = True
    assert Kitchen.objects.get().moment == dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
