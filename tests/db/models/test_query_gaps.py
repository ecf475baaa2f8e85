"""Queries that used to be unsupported: aggregate() over a subquery, expressions in
values_list(), select_related() on a reverse one-to-one, chained union()."""

from __future__ import annotations

import pytest

from djanco.core.exceptions import FieldError
from djanco.db import DatabaseWrapper
from djanco.db.backends.debug import assert_num_queries
from djanco.db.models import Avg, Count, F, Lower, Max, Sum
from tests.db.models.models import ALL, Article, Author, Profile

pytestmark = pytest.mark.tables(*ALL)


async def adata() -> list[Author]:
    """The `data` rows, made with the async API (async tests roll back only those)."""
    ann = await Author.objects.acreate(name="Ann", age=30)
    bob = await Author.objects.acreate(name="Bob", age=40)
    cyd = await Author.objects.acreate(name="Cyd", age=None)
    for views in (1, 2, 3):
        await Article.objects.acreate(title=f"a{views}", author=ann, views=views)
    await Article.objects.acreate(title="b1", author=bob, views=10, status="p")
    return [ann, bob, cyd]


@pytest.fixture
def data(connection: DatabaseWrapper) -> list[Author]:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    cyd = Author.objects.create(name="Cyd", age=None)
    for views in (1, 2, 3):
        Article.objects.create(title=f"a{views}", author=ann, views=views)
    Article.objects.create(title="b1", author=bob, views=10, status="p")
    return [ann, bob, cyd]


def test_aggregate_after_annotate(data: list[Author]) -> None:
    qs = Author.objects.annotate(n=Count("articles"))
    assert qs.aggregate(total=Sum("n"), top=Max("n")) == {"total": 4, "top": 3}
    assert qs.aggregate(Avg("age")) == {"age__avg": 35.0}
    assert qs.filter(n__gte=1).aggregate(c=Count("*")) == {"c": 2}
    over = Author.objects.annotate(older=F("age") + 1).aggregate(m=Max("older"), x=Max("age"))
    assert over == {"m": 41, "x": 40}
    grouped = Article.objects.values("author").annotate(n=Count("id"))
    assert grouped.aggregate(most=Max("n"), groups=Count("author")) == {"most": 3, "groups": 2}


def test_aggregate_over_sliced_and_distinct(data: list[Author]) -> None:
    aged = Author.objects.filter(age__isnull=False)
    assert aged.order_by("age")[:1].aggregate(s=Sum("age")) == {"s": 30}
    assert aged.order_by("-age")[1:].aggregate(s=Sum("age")) == {"s": 30}
    assert Author.objects.order_by("name")[1:3].aggregate(n=Count("*")) == {"n": 2}
    assert Article.objects.values("author").distinct().aggregate(c=Count("author")) == {"c": 2}
    assert Article.objects.distinct().aggregate(v=Sum("views")) == {"v": 16}
    sliced = Article.objects.filter(views__gt=1).order_by("views").distinct()[:2]
    assert sliced.aggregate(c=Count("*"), v=Sum("views")) == {"c": 2, "v": 5}


async def test_aaggregate_after_annotate(connection: DatabaseWrapper) -> None:
    await adata()
    qs = Author.objects.annotate(n=Count("articles")).filter(name__in=["Ann", "Bob"])
    assert await qs.aaggregate(total=Sum("n")) == {"total": 4}
    assert await Author.objects.order_by("name")[1:2].aaggregate(a=Max("age")) == {"a": 40}


def test_values_list_with_expressions(data: list[Author]) -> None:
    qs = Author.objects.order_by("name")
    assert list(qs.values_list("name", Lower("name"))) == [
        ("Ann", "ann"),
        ("Bob", "bob"),
        ("Cyd", "cyd"),
    ]
    assert list(qs.filter(age__isnull=False).values_list(F("age") + 1, flat=True)) == [31, 41]
    rows = list(qs.filter(name="Ann").values_list("id", Lower("name"), Lower("name"), named=True))
    assert [tuple(r) for r in rows] == [(data[0].pk, "ann", "ann")]
    assert rows[0]._fields == ("id", "lower1", "lower2")  # type: ignore[attr-defined]
    counts = Author.objects.order_by("name").values_list("name", Count("articles"))
    assert list(counts) == [("Ann", 3), ("Bob", 1), ("Cyd", 0)]


async def test_values_list_with_expressions_async(connection: DatabaseWrapper) -> None:
    await adata()
    qs = Author.objects.filter(name="Bob").values_list(Lower("name"), flat=True)
    assert [x async for x in qs] == ["bob"]


def test_select_related_reverse_one_to_one(data: list[Author]) -> None:
    ann, bob, _ = data
    Profile.objects.create(author=ann, bio="hi")
    with assert_num_queries(1):
        authors = list(Author.objects.select_related("profile").order_by("name"))
        assert authors[0].profile.bio == "hi"  # type: ignore[attr-defined]
        with pytest.raises(Author.profile.RelatedObjectDoesNotExist):  # type: ignore[attr-defined]
            authors[1].profile  # type: ignore[attr-defined]  # noqa: B018
    with assert_num_queries(1):
        profile = Profile.objects.select_related("author__profile").get()
        assert profile.author.profile.bio == "hi"
    assert bob.pk is not None


def test_select_related_reverse_one_to_one_bad_name(data: list[Author]) -> None:
    with pytest.raises(FieldError, match="Choices are: profile"):
        list(Author.objects.select_related("articles"))


async def test_select_related_reverse_one_to_one_async(connection: DatabaseWrapper) -> None:
    ann, _, _ = await adata()
    await Profile.objects.acreate(author=ann, bio="hi")
    authors = [a async for a in Author.objects.select_related("profile").order_by("name")]
    assert authors[0].profile.bio == "hi"  # type: ignore[attr-defined]
    with pytest.raises(Author.profile.RelatedObjectDoesNotExist):  # type: ignore[attr-defined]
        authors[2].profile  # type: ignore[attr-defined]  # noqa: B018


def _names(qs: object) -> list[str]:
    return [a.name for a in qs]  # type: ignore[attr-defined]


def test_chained_union(data: list[Author]) -> None:
    ann = Author.objects.filter(name="Ann")
    bob = Author.objects.filter(name="Bob")
    cyd = Author.objects.filter(name="Cyd")
    assert _names(ann.union(bob).union(cyd).order_by("name")) == ["Ann", "Bob", "Cyd"]
    assert _names(ann.union(bob, cyd).order_by("-name")) == ["Cyd", "Bob", "Ann"]
    assert _names(ann.union(bob.union(cyd)).order_by("name")[1:]) == ["Bob", "Cyd"]
    assert ann.union(bob).union(cyd).count() == 3
    assert len(list(ann.union(ann, all=True).union(bob, all=True))) == 3
    assert len(list(ann.union(ann).union(ann))) == 1
    chained = ann.union(bob).union(cyd).order_by("-name")[:2]
    assert _names(chained) == ["Cyd", "Bob"]
    flat = ann.values_list("name", flat=True).union(
        bob.values_list("name", flat=True), cyd.values_list("name", flat=True)
    )
    assert list(flat.order_by("-name")) == ["Cyd", "Bob", "Ann"]
    assert _names(ann.union(bob).intersection(bob.union(cyd))) == ["Bob"]


def test_chained_union_with_params(data: list[Author]) -> None:
    young = Author.objects.filter(age__lt=35)
    old = Author.objects.filter(age__gt=35)
    unknown = Author.objects.filter(age__isnull=True)
    combined = young.union(old).union(unknown).order_by("name")
    assert _names(combined[1:3]) == ["Bob", "Cyd"]
    assert _names(Author.objects.all().difference(young).difference(old)) == ["Cyd"]
    assert _names(Author.objects.all().difference(young.difference(old))) == ["Bob", "Cyd"]


async def test_chained_union_async(connection: DatabaseWrapper) -> None:
    await adata()
    ann = Author.objects.filter(name="Ann")
    qs = ann.union(Author.objects.filter(name="Bob")).union(Author.objects.filter(name="Cyd"))
    assert [a.name async for a in qs.order_by("name")[:2]] == ["Ann", "Bob"]
    assert await qs.acount() == 3


def test_select_related_one_to_one_links_back(data: list[Author]) -> None:
    ann, bob, _ = data
    Profile.objects.create(author=ann, bio="hi")
    with assert_num_queries(1):
        authors = list(Author.objects.select_related("profile").order_by("name"))
        assert authors[0].profile.author is authors[0]  # type: ignore[attr-defined]
    with assert_num_queries(1):
        profile = Profile.objects.select_related("author").get()
        assert profile.author.profile is profile  # type: ignore[attr-defined]
    with assert_num_queries(1):
        article = Article.objects.select_related("author__profile").get(title="a1")
        assert article.author.profile.author is article.author  # type: ignore[attr-defined]
    with assert_num_queries(1):
        bob_article = Article.objects.select_related("author__profile").get(title="b1")
        assert bob_article.author == bob
        with pytest.raises(Author.profile.RelatedObjectDoesNotExist):  # type: ignore[attr-defined]
            bob_article.author.profile  # type: ignore[attr-defined]  # noqa: B018


async def test_select_related_one_to_one_links_back_async(connection: DatabaseWrapper) -> None:
    ann, _, _ = await adata()
    await Profile.objects.acreate(author=ann, bio="hi")
    author = await Author.objects.select_related("profile").aget(name="Ann")
    assert author.profile.author is author  # type: ignore[attr-defined]
    profiles = [p async for p in Profile.objects.select_related("author").aiterator()]
    assert profiles[0].author.profile is profiles[0]  # type: ignore[attr-defined]
