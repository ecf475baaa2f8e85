"""union(), intersection() and difference() with Django's semantics: mixed chains, slices
inside the parts, and what may follow a combination (ordering, slicing, count, values)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from djanco.db import DatabaseError, DatabaseWrapper, NotSupportedError
from djanco.db.backends.debug import assert_num_queries
from djanco.db.models import F, Sum
from tests.db.models.models import ALL, Article, Author

pytestmark = pytest.mark.tables(*ALL)


@pytest.fixture
def authors(connection: DatabaseWrapper) -> list[Author]:
    return [
        Author.objects.create(name="Ann", age=30),
        Author.objects.create(name="Bob", age=40),
        Author.objects.create(name="Cyd", age=None),
        Author.objects.create(name="Dee", age=20),
    ]


def names(rows: Iterable[Author]) -> list[str]:
    return [a.name for a in rows]


young = Author.objects.filter(age__lt=35)  # Ann, Dee
old = Author.objects.filter(age__gt=35)  # Bob
everyone = Author.objects.all()
by_age = Author.objects.filter(age__isnull=False).order_by("age")  # Dee, Ann, Bob


def test_mixed_chains(authors: list[Author]) -> None:
    b_names = Author.objects.filter(name__startswith="B")
    assert names(young.union(old).intersection(b_names)) == ["Bob"]
    assert names(young.union(old).difference(b_names)) == ["Ann", "Dee"]
    assert names(everyone.difference(young)) == ["Bob", "Cyd"]
    assert names(everyone.difference(young).union(old)) == ["Bob", "Cyd"]
    assert names(everyone.difference(young.union(old))) == ["Cyd"]
    assert names(everyone.difference(everyone.difference(young))) == ["Ann", "Dee"]
    assert names(everyone.intersection(young.union(old), b_names.union(young))) == [
        "Ann",
        "Bob",
        "Dee",
    ]
    chain = young.intersection(everyone).union(old).difference(young.filter(name="Dee"))
    assert names(chain) == ["Ann", "Bob"]
    # INTERSECT binds tighter than UNION in SQL: the parts keep Django's left-to-right meaning.
    assert names(old.union(young).intersection(young)) == ["Ann", "Dee"]


def test_union_all(authors: list[Author]) -> None:
    assert names(young.union(young, all=True)) == ["Ann", "Ann", "Dee", "Dee"]
    assert young.union(young, all=True).count() == 4
    assert young.union(young).count() == 2
    assert young.union(young, all=True).union(old).count() == 3  # the last UNION dedups
    assert young.union(young).union(young, all=True).count() == 4
    assert young.union(young, old, all=True).count() == 5


def test_order_slice_count_exists(authors: list[Author]) -> None:
    combined = young.union(old)
    assert names(combined) == ["Ann", "Bob", "Dee"]  # Meta.ordering of the model
    assert names(combined.order_by("-age")) == ["Bob", "Ann", "Dee"]
    assert names(combined.order_by("age")[1:]) == ["Ann", "Bob"]
    assert combined.order_by("age")[0].name == "Dee"
    assert names(combined.order_by(F("age").desc())) == ["Bob", "Ann", "Dee"]
    assert names(combined.order_by("pk").reverse()) == ["Dee", "Bob", "Ann"]
    assert combined.count() == 3
    assert combined[:2].count() == 2
    assert combined.order_by("age")[1:].count() == 2
    assert combined.exists()
    assert not young.intersection(old).exists()
    assert young.intersection(old).count() == 0
    first = combined.order_by("-name").first()
    assert first is not None and first.name == "Dee"
    last = combined.last()  # by primary key
    assert last is not None and last.name == "Dee"
    assert old.union(old).get().name == "Bob"
    assert combined.aggregate(total=Sum("age")) == {"total": 90}


def test_values_after_combinator(authors: list[Author]) -> None:
    combined = young.union(old)
    assert list(combined.values_list("name", flat=True).order_by("-name")) == [
        "Dee",
        "Bob",
        "Ann",
    ]
    assert list(combined.values("name", "age").order_by("age")) == [
        {"name": "Dee", "age": 20},
        {"name": "Ann", "age": 30},
        {"name": "Bob", "age": 40},
    ]
    # The whole compares the selected columns only: two authors aged 30 are one row.
    Author.objects.create(name="Eve", age=30)
    assert combined.count() == 4
    assert combined.values_list("age", flat=True).count() == 3


def test_values_union_ordering(authors: list[Author]) -> None:
    ages = Author.objects.filter(age__isnull=False).values_list("age", flat=True)
    # Meta.ordering ("name") is not among the selected columns: it does not apply.
    assert sorted(ages.union(ages)) == [20, 30, 40]
    assert list(ages.union(ages).order_by("-age")) == [40, 30, 20]
    with pytest.raises(DatabaseError, match="ORDER BY term does not match any column"):
        list(ages.union(ages).order_by("name"))
    Article.objects.create(title="Zed", author=authors[0])
    titles = Article.objects.values_list("title", flat=True)
    mixed = Author.objects.values_list("name", flat=True).union(titles).order_by("-name")
    assert list(mixed) == ["Zed", "Dee", "Cyd", "Bob", "Ann"]


def test_nulls_ordering_on_combined(connection: DatabaseWrapper, authors: list[Author]) -> None:
    combined = young.union(Author.objects.filter(age__isnull=True))
    ordering = combined.order_by(F("age").asc(nulls_first=True))
    if connection.vendor == "mysql":
        with pytest.raises(NotSupportedError, match="nulls_first/nulls_last"):
            list(ordering)
        return
    assert names(ordering) == ["Cyd", "Dee", "Ann"]


def test_not_supported_after_combinator(authors: list[Author]) -> None:
    combined = young.union(old)
    message = "Calling QuerySet.filter() after union() is not supported."
    with pytest.raises(NotSupportedError, match=re.escape(message)):
        combined.filter(name="Ann")
    for call, name in [
        (lambda qs: qs.exclude(name="Ann"), "exclude"),
        (lambda qs: qs.annotate(x=F("age")), "annotate"),
        (lambda qs: qs.select_related("profile"), "select_related"),
        (lambda qs: qs.prefetch_related("articles"), "prefetch_related"),
        (lambda qs: qs.distinct(), "distinct"),
        (lambda qs: qs.only("name"), "only"),
        (lambda qs: qs.defer("name"), "defer"),
        (lambda qs: qs.update(age=1), "update"),
        (lambda qs: qs.delete(), "delete"),
        (lambda qs: qs.contains(authors[0]), "contains"),
    ]:
        with pytest.raises(NotSupportedError, match=rf"QuerySet\.{name}\(\) after difference\(\)"):
            call(everyone.difference(young))
    with pytest.raises(NotSupportedError, match=r"get\(\.\.\.\) with filters after intersection"):
        everyone.intersection(old).get(name="Bob")


def test_sliced_parts(authors: list[Author]) -> None:
    oldest = Author.objects.filter(age__isnull=False).order_by("-age")[:1]
    assert names(by_age[:2].union(oldest)) == ["Ann", "Bob", "Dee"]
    assert names(by_age[:1].union(by_age[2:3])) == ["Bob", "Dee"]
    assert by_age[:1].union(by_age[:1], all=True).count() == 2
    assert by_age[:2].union(oldest).count() == 3
    assert names(everyone.difference(by_age[:2])) == ["Bob", "Cyd"]
    assert names(everyone.intersection(by_age[1:])) == ["Ann", "Bob"]
    # Parameters of later parts come after the LIMIT/OFFSET of a sliced part.
    mixed = by_age.filter(age__gte=25)[:1].union(Author.objects.filter(name__in=["Cyd", "Dee"]))
    assert names(mixed) == ["Ann", "Cyd", "Dee"]
    # A sliced combination inside another.
    top = young.union(old).order_by("-age")[:1]
    assert names(top.union(Author.objects.filter(name="Cyd"))) == ["Bob", "Cyd"]
    assert names(Author.objects.filter(name="Cyd").union(top)) == ["Bob", "Cyd"]
    flat = by_age.values_list("name", flat=True)
    assert list(flat[:1].union(flat[2:]).order_by("name")) == ["Bob", "Dee"]


async def test_sliced_parts_async(connection: DatabaseWrapper) -> None:
    for name, age in [("Ann", 30), ("Bob", 40), ("Dee", 20)]:
        await Author.objects.acreate(name=name, age=age)
    combined = by_age[:1].union(by_age[2:]).intersection(everyone)
    assert [a.name async for a in combined] == ["Bob", "Dee"]
    assert await combined.acount() == 2
    assert await combined.aexists()


def test_combined_as_in_value(authors: list[Author]) -> None:
    for author in authors:
        Article.objects.create(title=f"by {author.name}", author=author)
    chosen = Article.objects.filter(author__in=young.union(old).difference(by_age[:1]))
    assert sorted(a.title for a in chosen) == ["by Ann", "by Bob"]


def test_select_related_in_parts(authors: list[Author]) -> None:
    for i, author in enumerate(authors):
        Article.objects.create(title=f"t{i}", views=i, author=author)
    parts = Article.objects.select_related("author")
    combined = parts.filter(views__lt=2).union(parts.filter(views=3)).order_by("-title")
    with assert_num_queries(1):
        assert [(a.title, a.author.name) for a in combined] == [
            ("t3", "Dee"),
            ("t1", "Bob"),
            ("t0", "Ann"),
        ]


def test_none_parts(authors: list[Author]) -> None:
    assert names(young.none().union(old)) == ["Bob"]
    assert names(young.none().union(old.none(), young)) == ["Ann", "Dee"]
    assert names(young.union(old.none())) == ["Ann", "Dee"]
    assert names(young.difference(old.none())) == ["Ann", "Dee"]
    with assert_num_queries(0):
        assert list(young.intersection(old.none())) == []
        assert list(young.none().difference(old)) == []
        assert list(young.union(old).none()) == []
    assert young.union(old).none().count() == 0
