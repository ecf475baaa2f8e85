"""Date/time transforms of a DateTimeField take their parts in the current time zone
(TIME_ZONE under USE_TZ), as Django does; UTC is the fast path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from djanco.db import DatabaseWrapper
from djanco.db.backends.mysql.operations import utc_transitions
from tests.db.models.models import ALL, Article, Author

pytestmark = pytest.mark.tables(*ALL)

UTC = dt.UTC


def _set(name: str, value: object) -> Iterator[None]:
    from djanco.conf import settings

    old = getattr(settings, name)
    setattr(settings, name, value)
    try:
        yield
    finally:
        setattr(settings, name, old)


@pytest.fixture
def new_york() -> Iterator[None]:
    yield from _set("TIME_ZONE", "America/New_York")


@pytest.fixture
def articles(connection: DatabaseWrapper) -> dict[str, Article]:
    author = Author.objects.create(name="Ann")
    moments = {
        "winter": dt.datetime(2024, 1, 1, 3, 0, tzinfo=UTC),  # 2023-12-31 22:00 EST
        "summer": dt.datetime(2024, 7, 1, 3, 30, 15, tzinfo=UTC),  # 2024-06-30 23:30:15 EDT
        "before_dst": dt.datetime(2024, 3, 10, 6, 59, 59, tzinfo=UTC),  # 01:59:59 EST
        "after_dst": dt.datetime(2024, 3, 10, 7, 0, tzinfo=UTC),  # 03:00 EDT
    }
    return {
        title: Article.objects.create(title=title, author=author, published=moment)
        for title, moment in moments.items()
    }


def titles(**lookups: object) -> list[str]:
    return sorted(Article.objects.filter(**lookups).values_list("title", flat=True))


def test_utc_fast_path(articles: dict[str, Article]) -> None:
    assert titles(published__date=dt.date(2024, 1, 1)) == ["winter"]
    assert titles(published__hour=3) == ["summer", "winter"]
    assert titles(published__year=2023) == []


def test_current_time_zone(articles: dict[str, Article], new_york: None) -> None:
    assert titles(published__date=dt.date(2023, 12, 31)) == ["winter"]
    assert titles(published__hour=22) == ["winter"]
    assert titles(published__year=2023, published__month=12, published__day=31) == ["winter"]
    assert titles(published__week_day=1) == ["after_dst", "before_dst", "summer", "winter"]
    assert titles(published__iso_week_day=7, published__quarter=4) == ["winter"]
    assert titles(published__week=52) == ["winter"]
    assert titles(published__time=dt.time(22, 0)) == ["winter"]
    assert titles(published__date=dt.date(2024, 6, 30), published__hour=23) == ["summer"]
    assert titles(published__minute=30, published__second=15) == ["summer"]
    assert titles(published__date__gte=dt.date(2024, 1, 1)) == ["after_dst", "before_dst", "summer"]
    assert titles(published__year__lt=2024) == ["winter"]


def test_across_dst_change(articles: dict[str, Article], new_york: None) -> None:
    # Clocks went from 01:59:59 EST to 03:00 EDT: one second apart in UTC.
    assert titles(published__hour=1) == ["before_dst"]
    assert titles(published__hour=3) == ["after_dst"]
    assert titles(published__hour=2) == []


def test_values_and_ordering(articles: dict[str, Article], new_york: None) -> None:
    qs = Article.objects.order_by("published__hour", "title")
    assert list(qs.values_list("title", "published__hour")) == [
        ("before_dst", 1),
        ("after_dst", 3),
        ("winter", 22),
        ("summer", 23),
    ]
    dates = Article.objects.order_by("published").values_list("published__date", flat=True)
    assert list(dates) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 3, 10),
        dt.date(2024, 3, 10),
        dt.date(2024, 6, 30),
    ]


def test_time_zone_change_recompiles(articles: dict[str, Article]) -> None:
    assert titles(published__hour=3) == ["summer", "winter"]
    for _ in _set("TIME_ZONE", "Asia/Kolkata"):  # +05:30
        assert titles(published__hour=8, published__minute=30) == ["winter"]
        assert titles(published__date=dt.date(2024, 7, 1)) == ["summer"]
    assert titles(published__hour=3) == ["summer", "winter"]


def test_without_use_tz(connection: DatabaseWrapper, new_york: None) -> None:
    for _ in _set("USE_TZ", False):
        author = Author.objects.create(name="Ann")
        Article.objects.create(title="naive", author=author, published=dt.datetime(2024, 1, 1, 3))
        assert titles(published__date=dt.date(2024, 1, 1), published__hour=3) == ["naive"]


async def test_async(connection: DatabaseWrapper, new_york: None) -> None:
    author = await Author.objects.acreate(name="Ann")
    moment = dt.datetime(2024, 1, 1, 3, tzinfo=UTC)
    await Article.objects.acreate(title="winter", author=author, published=moment)
    assert await Article.objects.filter(published__day=31).acount() == 1


def test_utc_transitions() -> None:
    instants, offsets = utc_transitions("America/New_York")
    assert len(offsets) == len(instants) + 1
    i = instants.index("2024-03-10 07:00:00")
    assert offsets[i : i + 2] == (-5 * 3600, -4 * 3600)
    assert utc_transitions("UTC") == ((), (0,))
