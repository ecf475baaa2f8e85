"""Creating, reading, updating and deleting instances on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from djanco.db import DatabaseWrapper
from djanco.db.models import ObjectDoesNotExist
from tests.db.models.models import ALL, Article, Author

pytestmark = pytest.mark.tables(*ALL)


def test_create_get_update_delete(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Ann", email="ann@example.com")
    assert isinstance(author.pk, int)
    assert author._state.adding is False
    got = Author.objects.get(pk=author.pk)
    assert got == author
    assert got.name == "Ann"
    assert got.email == "ann@example.com"
    got.name = "Anne"
    got.save()
    assert Author.objects.get(pk=author.pk).name == "Anne"
    assert got.delete() == (1, {"modeltests.Author": 1})
    with pytest.raises(Author.DoesNotExist, match="Author matching query does not exist"):
        Author.objects.get(pk=author.pk)


def test_does_not_exist_is_per_model(connection: DatabaseWrapper) -> None:
    assert issubclass(Author.DoesNotExist, ObjectDoesNotExist)
    assert not issubclass(Author.DoesNotExist, Article.DoesNotExist)
    with pytest.raises(ObjectDoesNotExist):
        Article.objects.get(title="nope")


def test_multiple_objects_returned(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="x")
    Author.objects.create(name="x")
    with pytest.raises(Author.MultipleObjectsReturned, match="it returned 2"):
        Author.objects.get(name="x")


def test_defaults_and_fk(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Bob")
    article = Article.objects.create(title="Hello", author=author)
    assert article.views == 0
    assert article.status == "d"
    fetched = Article.objects.get(pk=article.pk)
    assert fetched.author_id == author.pk  # type: ignore[attr-defined]
    assert fetched.author == author
    assert fetched.author.name == "Bob"
    assert fetched.editor is None


def test_unknown_keyword_names_model_and_fields() -> None:
    with pytest.raises(TypeError, match=r"Author\(\) got unexpected keyword argument\(s\) 'nme'"):
        Author(nme="x")


def test_eq_hash_repr() -> None:
    a, b = Author(name="a"), Author(name="a")
    assert a != b
    a.pk = b.pk = 3
    assert a == b
    assert hash(a) == hash(b)
    assert repr(a) == "<Author: a>"
    assert Author(name="q") != Article(title="q")
    with pytest.raises(TypeError):
        hash(Author(name="z"))


def test_refresh_from_db(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Cy")
    Author.objects.filter(pk=author.pk).update(name="Cyd")
    author.refresh_from_db()
    assert author.name == "Cyd"


def test_update_fields(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Di", age=3)
    author.name = "Dee"
    author.age = 4
    author.save(update_fields=["age"])
    fresh = Author.objects.get(pk=author.pk)
    assert (fresh.name, fresh.age) == ("Di", 4)
    with pytest.raises(ValueError, match="do not exist"):
        author.save(update_fields=["nope"])


def test_save_existing_pk_inserts_when_missing(connection: DatabaseWrapper) -> None:
    author = Author(name="Eve")
    author.pk = 12345
    author.save()
    assert Author.objects.get(pk=12345).name == "Eve"
    author.name = "Eva"
    author.save()
    assert Author.objects.filter(pk=12345).count() == 1


def test_naive_datetime_refused() -> None:
    article = Article(title="t")
    with pytest.raises(ValueError, match="naive datetime"):
        article.published = dt.datetime(2024, 1, 1)
    article.published = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def test_aware_datetime_round_trip(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Tz")
    plus2 = dt.timezone(dt.timedelta(hours=2))
    when = dt.datetime(2024, 5, 6, 12, 30, 15, 123456, tzinfo=plus2)
    article = Article.objects.create(title="t", author=author, published=when)
    fetched = Article.objects.get(pk=article.pk)
    assert fetched.published == when
    assert fetched.published is not None and fetched.published.utcoffset() == dt.timedelta(0)


async def test_async_crud(connection: DatabaseWrapper) -> None:
    author = await Author.objects.acreate(name="Async")
    got = await Author.objects.aget(pk=author.pk)
    assert got.name == "Async"
    got.name = "Async2"
    await got.asave()
    await author.arefresh_from_db()
    assert author.name == "Async2"
    assert await Author.objects.acount() == 1
    assert await Author.objects.filter(name="Async2").aexists()
    names = [a.name async for a in Author.objects.all()]
    assert names == ["Async2"]
    assert await author.adelete() == (1, {"modeltests.Author": 1})
    assert await Author.objects.afirst() is None


def test_raw_sql(connection: DatabaseWrapper) -> None:
    author = Author.objects.create(name="Raw", age=3)
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    Article.objects.create(title="r", author=author, published=when)
    found = list(
        Author.objects.raw(
            "SELECT id, name, age, age * 2 AS doubled FROM modeltests_author WHERE name = %s",
            ["Raw"],
        )
    )
    assert found == [author]
    assert found[0].name == "Raw" and found[0].doubled == 6  # type: ignore[attr-defined]
    article = next(iter(Article.objects.raw("SELECT * FROM modeltests_article")))
    assert article.published == when
    assert article.author == author
    hostile = "x'; DELETE FROM modeltests_author; --"
    assert (
        list(Author.objects.raw("SELECT * FROM modeltests_author WHERE name = %s", [hostile])) == []
    )
    assert Author.objects.count() == 1


def test_pickle_round_trip(connection: DatabaseWrapper) -> None:
    import pickle

    author = Author.objects.create(name="Pickled")
    loaded = Author.objects.get(pk=author.pk)
    copy = pickle.loads(pickle.dumps(loaded))
    assert copy == loaded and copy.name == "Pickled"
    assert copy._state.db == "default" and copy._state.adding is False
    fresh = pickle.loads(pickle.dumps(Author(name="new")))
    assert fresh._state.adding is True


def test_string_reference_with_app_label() -> None:
    from djanco.db import models

    class Review(models.Model):
        author: models.ForeignKey[Author] = models.ForeignKey(
            "modeltests.Author", on_delete=models.CASCADE, related_name="+"
        )

        class Meta:
            app_label = "modeltests"

    assert Review.author.related_model is Author


def test_positional_construction() -> None:
    author = Author(None, "Pos", "p@example.com", 7)
    assert (author.pk, author.name, author.email, author.age) == (None, "Pos", "p@example.com", 7)
    with pytest.raises(IndexError, match="exceeds number of fields"):
        Author(1, "a", "b", 3, 4)
    with pytest.raises(TypeError, match="both positional and keyword"):
        Author(1, "a", name="b")
