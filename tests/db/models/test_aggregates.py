"""aggregate(), annotate() with GROUP BY / HAVING, and database functions."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper
from djanco.db.models import (
    Avg,
    Case,
    Coalesce,
    Concat,
    Count,
    F,
    Length,
    Lower,
    Max,
    Min,
    Q,
    Sum,
    Upper,
    Value,
    When,
)
from tests.db.models.models import ALL, Article, Author

pytestmark = pytest.mark.tables(*ALL)


@pytest.fixture
def data(connection: DatabaseWrapper) -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    Author.objects.create(name="Cyd", age=None)
    for views in (1, 2, 3):
        Article.objects.create(title=f"a{views}", author=ann, views=views)
    Article.objects.create(title="b1", author=bob, views=10, status="p")


def test_aggregate(data: None) -> None:
    result = Article.objects.aggregate(
        total=Sum("views"), avg=Avg("views"), low=Min("views"), high=Max("views"), n=Count("*")
    )
    assert result == {"total": 16, "avg": 4.0, "low": 1, "high": 10, "n": 4}
    assert type(result["total"]) is int
    assert Article.objects.filter(author__name="Ann").aggregate(Sum("views")) == {"views__sum": 6}
    assert Article.objects.filter(views__gt=100).aggregate(s=Sum("views")) == {"s": None}
    assert Author.objects.aggregate(n=Count("age"), d=Count("age", distinct=True)) == {
        "n": 2,
        "d": 2,
    }
    assert Article.objects.aggregate(published=Count("id", filter=Q(status="p"))) == {
        "published": 1
    }


def test_annotate_counts_per_row(data: None) -> None:
    authors = Author.objects.annotate(n=Count("articles")).order_by("name")
    assert [(a.name, a.n) for a in authors] == [("Ann", 3), ("Bob", 1), ("Cyd", 0)]  # type: ignore[attr-defined]
    busy = Author.objects.annotate(n=Count("articles")).filter(n__gte=2)
    assert [a.name for a in busy] == ["Ann"]
    assert busy.count() == 1
    ordered = Author.objects.annotate(total=Sum("articles__views")).order_by(
        F("total").desc(nulls_last=True)
    )
    assert [a.name for a in ordered][:2] == ["Bob", "Ann"]


def test_values_annotate_groups(data: None) -> None:
    rows = list(
        Article.objects.values("author__name").annotate(n=Count("id")).order_by("author__name")
    )
    assert rows == [{"author__name": "Ann", "n": 3}, {"author__name": "Bob", "n": 1}]


def test_functions(data: None) -> None:
    names = Author.objects.annotate(
        low=Lower("name"), up=Upper("name"), size=Length("name"), label=Concat("name", Value("!"))
    ).order_by("name")
    first = names[0]
    assert (first.low, first.up, first.size, first.label) == ("ann", "ANN", 3, "Ann!")  # type: ignore[attr-defined]
    ages = Author.objects.annotate(a=Coalesce("age", Value(0))).order_by("name")
    assert [x.a for x in ages] == [30, 40, 0]  # type: ignore[attr-defined]
    assert [a.name for a in Author.objects.filter(name__iexact="ANN")] == ["Ann"]


def test_case_when(data: None) -> None:
    kinds = Article.objects.annotate(
        kind=Case(When(views__gte=5, then=Value("big")), default=Value("small"))
    ).order_by("title")
    assert [a.kind for a in kinds] == ["small", "small", "small", "big"]  # type: ignore[attr-defined]
    Article.objects.update(views=Case(When(status="p", then=F("views") * 2), default=F("views")))
    assert sorted(Article.objects.values_list("views", flat=True)) == [1, 2, 3, 20]


async def test_async_aggregate(connection: DatabaseWrapper) -> None:
    # Async tests create their rows with the async API: only async statements run inside
    # the async test transaction that is rolled back.
    author = await Author.objects.acreate(name="Ann")
    for views in (1, 2, 3):
        await Article.objects.acreate(title=f"a{views}", author=author, views=views)
    assert await Article.objects.aaggregate(total=Sum("views")) == {"total": 6}


def test_subquery_outerref_exists(data: None) -> None:
    from djanco.db.models import Exists, OuterRef, Subquery

    newest = Article.objects.filter(author=OuterRef("pk")).order_by("-views")
    authors = Author.objects.annotate(
        top=Subquery(newest.values("title")[:1]), has=Exists(newest)
    ).order_by("name")
    assert [(a.name, a.top, bool(a.has)) for a in authors] == [  # type: ignore[attr-defined]
        ("Ann", "a3", True),
        ("Bob", "b1", True),
        ("Cyd", None, False),
    ]
    writers = Author.objects.filter(Exists(Article.objects.filter(author=OuterRef("pk"))))
    assert sorted(a.name for a in writers) == ["Ann", "Bob"]
    idle = Author.objects.filter(~Exists(Article.objects.filter(author=OuterRef("pk"))))
    assert [a.name for a in idle] == ["Cyd"]
    big = Article.objects.filter(views__gte=3).values("author")
    assert sorted(a.name for a in Author.objects.filter(pk__in=Subquery(big))) == ["Ann", "Bob"]
    assert sorted(a.name for a in Author.objects.filter(pk__in=big)) == ["Ann", "Bob"]


def test_values_with_expressions_and_contains(data: None) -> None:
    from djanco.db.models import Lower

    rows = list(Author.objects.order_by("name").values("name", low=Lower("name"))[:1])
    assert rows == [{"name": "Ann", "low": "ann"}]
    ann = Author.objects.get(name="Ann")
    assert Author.objects.filter(age__gte=30).contains(ann)
    assert not Author.objects.filter(age__gte=35).contains(ann)
