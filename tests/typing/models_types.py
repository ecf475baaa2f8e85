"""Static checks of the model and queryset types (mypy --strict and pyright strict).

Never run: the checkers read it. An expected error is written with a `# type: ignore[code]`
comment, which both checkers report as unnecessary if the error ever goes away.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from typing import Any, assert_type

from djanco.db import models
from djanco.shortcuts import (
    aget_list_or_404,
    aget_object_or_404,
    get_list_or_404,
    get_object_or_404,
)


class PublishedManager(models.Manager["Post"]):
    def get_queryset(self) -> models.QuerySet[Post]:
        return super().get_queryset().filter(live=True)

    def recent(self) -> models.QuerySet[Post]:
        return self.get_queryset().order_by("-id")


class Post(models.Model):
    live = models.BooleanField(default=False)

    objects = PublishedManager()
    everything = models.Manager["Post"]()


class Tag(models.Model):
    label = models.CharField(max_length=20)

    articles: models.ManyRelatedManager[Article]


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(null=True)
    age = models.IntegerField(null=True)
    active = models.BooleanField(default=True)

    articles: models.RelatedManager[Article]


class Kitchen(models.Model):
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(default=0)
    flag = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    clock = models.TimeField()
    span = models.DurationField(null=True)
    blob = models.BinaryField()
    slug = models.SlugField()
    url = models.URLField(null=True)
    data = models.JSONField(null=True)
    tags: models.JSONField[list[str]] = models.JSONField(default=list)


def check_field_types(k: Kitchen) -> None:
    assert_type(k.big, int | None)
    assert_type(k.small, int)
    assert_type(k.flag, bool)
    assert_type(k.maybe, bool | None)
    assert_type(k.clock, dt.time)
    assert_type(k.span, dt.timedelta | None)
    assert_type(k.blob, bytes)
    assert_type(k.slug, str)
    assert_type(k.url, str | None)
    assert_type(k.data, object)
    assert_type(k.tags, list[str])
    k.flag = None  # type: ignore[assignment]
    k.small = 1.5  # type: ignore[assignment]


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    views = models.PositiveIntegerField(default=0)
    rating = models.FloatField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateTimeField(null=True)
    day = models.DateField()
    token = models.UUIDField(default=uuid.uuid4)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
    editor = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True)
    reviewer: models.ForeignKey[Author] = models.ForeignKey("Author", on_delete=models.CASCADE)
    parent = models.ForeignKey["Article | None"]("self", on_delete=models.CASCADE, null=True)
    tags = models.ManyToManyField(Tag, related_name="articles")
    related: models.ManyToManyField[Article] = models.ManyToManyField("self")


async def check_instances(article: Article) -> None:
    assert_type(article.title, str)
    assert_type(article.body, str)
    assert_type(article.views, int)
    assert_type(article.rating, float | None)
    assert_type(article.price, decimal.Decimal)
    assert_type(article.published, dt.datetime | None)
    assert_type(article.day, dt.date)
    assert_type(article.token, uuid.UUID)
    assert_type(article.author, Author)
    assert_type(article.author.name, str)
    assert_type(article.author.email, str | None)
    assert_type(article.editor, Author | None)
    assert_type(article.reviewer, Author)
    assert_type(article.parent, Article | None)
    assert_type(article.id, int)
    assert_type(article.pk, Any)
    assert_type(await Article.author.afetch(article), Author)

    article.title = "ok"
    article.published = None
    article.editor = None
    article.title = 5  # type: ignore[assignment]
    article.author = None  # type: ignore[assignment]
    article.views = "many"  # type: ignore[assignment]
    article.titel  # type: ignore[attr-defined]  # noqa: B018 - no __getattr__ hides typos


def check_class_access() -> None:
    assert_type(Article.title, models.CharField[str])
    assert_type(Article.published, models.DateTimeField[dt.datetime | None])
    assert_type(Article.author, models.ForeignKey[Author])
    assert_type(Article.objects, models.Manager[Article])
    assert_type(Author.objects, models.Manager[Author])


def check_querysets(author: Author) -> None:
    qs = Article.objects.filter(title__icontains="x")
    assert_type(qs, models.QuerySet[Article])
    assert_type(qs.exclude(views__gt=3).order_by("-views"), models.QuerySet[Article])
    assert_type(Article.objects.all(), models.QuerySet[Article])
    assert_type(
        Article.objects.filter(models.Q(views=1) | models.Q(views=2)), models.QuerySet[Article]
    )
    assert_type(Article.objects.get(pk=1), Article)
    assert_type(qs.get(pk=1), Article)
    assert_type(qs.first(), Article | None)
    assert_type(qs.last(), Article | None)
    assert_type(qs[0], Article)
    assert_type(qs[:10], models.QuerySet[Article])
    assert_type(qs.count(), int)
    assert_type(qs.exists(), bool)
    assert_type(list(qs), list[Article])
    assert_type(Article.objects.create(title="t", author=author), Article)
    assert_type(Article.objects.get_or_create(title="t"), tuple[Article, bool])
    assert_type(qs.update(views=models.F("views") + 1), int)
    assert_type(qs.delete(), tuple[int, dict[str, int]])
    assert_type(qs.select_related("author"), models.QuerySet[Article])
    assert_type(qs.in_bulk([1, 2]), dict[Any, Article])
    assert_type(author.articles.all(), models.QuerySet[Article])
    assert_type(author.articles.create(title="x"), Article)
    article = Article.objects.get(pk=1)
    assert_type(article.tags, models.ManyRelatedManager[Tag])
    assert_type(article.tags.all(), models.QuerySet[Tag])
    assert_type(article.related.first(), Article | None)
    assert_type(Tag.objects.get(pk=1).articles.all(), models.QuerySet[Article])
    article.tags.add(Tag(label="x"))
    article.tags.add(author)  # type: ignore[arg-type]
    assert_type(Article.objects.values("title"), models.ValuesQuerySet[Article, dict[str, Any]])
    assert_type(
        Article.objects.values_list("title"), models.ValuesQuerySet[Article, tuple[Any, ...]]
    )
    assert_type(qs.annotate(n=models.Count("tags")), models.QuerySet[Article])
    assert_type(qs.aggregate(total=models.Sum("views")), dict[str, Any])
    assert_type(qs.bulk_update([article], ["title"]), int)
    assert_type(qs.contains(article), bool)
    assert_type(qs.union(qs).order_by("title"), models.QuerySet[Article])
    assert_type(qs.filter(models.Exists(Tag.objects.all())), models.QuerySet[Article])
    assert_type(Article.objects.raw("SELECT * FROM x"), models.RawQuerySet[Article])
    assert_type(qs.iterator(), Iterator[Article])
    for article in qs:
        assert_type(article, Article)
    Article.objects.get(1)  # type: ignore[arg-type]


async def check_async() -> None:
    qs = Article.objects.filter(views__gte=1)
    assert_type(await Article.objects.aget(pk=1), Article)
    assert_type(await qs.aget(pk=1), Article)
    assert_type(await qs.afirst(), Article | None)
    assert_type(await qs.acount(), int)
    assert_type(await qs.aexists(), bool)
    assert_type(await Article.objects.acreate(title="x"), Article)
    async for article in qs:
        assert_type(article, Article)
    async for article in qs.aiterator():
        assert_type(article, Article)


def check_custom_managers() -> None:
    assert_type(Post.objects, PublishedManager)
    assert_type(Post.objects.recent(), models.QuerySet[Post])
    assert_type(Post.objects.get(pk=1), Post)
    assert_type(Post.everything, models.Manager[Post])
    assert_type(Post.everything.first(), Post | None)


def check_exceptions() -> None:
    try:
        Article.objects.get(pk=1)
    except Article.DoesNotExist:
        pass
    except Article.MultipleObjectsReturned:
        pass


async def check_shortcuts() -> None:
    assert_type(get_object_or_404(Article, pk=1), Article)
    assert_type(get_object_or_404(Article.objects.filter(views=1), pk=1), Article)
    assert_type(get_object_or_404(Post.objects, pk=1), Post)
    assert_type(await aget_object_or_404(Article.objects.select_related("author"), pk=1), Article)
    assert_type(get_list_or_404(Article, views=1), list[Article])
    assert_type(await aget_list_or_404(Post.everything), list[Post])
    get_object_or_404(Article, pk=1).title = 5  # type: ignore[assignment]
