"""Behaviour Django documents that acceptance testing found missing or different."""

from __future__ import annotations

import pytest

from djanco.core.exceptions import ObjectDoesNotExist
from djanco.db import DatabaseWrapper, transaction
from djanco.db.backends.debug import capture_queries
from djanco.db.models import RelatedObjectDoesNotExist
from djanco.db.transaction import TransactionManagementError
from tests.db.models.models import (
    ALL,
    M2M,
    SPORT,
    Article,
    Author,
    Coach,
    Contract,
    Node,
    Post,
    Priority,
    Profile,
    Status,
    Task,
    Team,
)

pytestmark = pytest.mark.tables(*ALL, *M2M, *SPORT, Task)


def test_get_foo_display() -> None:
    article = Article(title="t", status=Status.PUBLISHED)
    assert article.get_status_display() == "Published"  # type: ignore[attr-defined]
    article.status = "zz"
    assert article.get_status_display() == "zz"  # type: ignore[attr-defined]
    assert Task(title="x", priority=Priority.HIGH).get_priority_display() == "High"  # type: ignore[attr-defined]


def test_related_object_does_not_exist_is_the_models_does_not_exist(
    connection: DatabaseWrapper,
) -> None:
    author = Author.objects.create(name="A")
    with pytest.raises(Profile.DoesNotExist):
        author.profile  # noqa: B018
    with pytest.raises(Author.profile.RelatedObjectDoesNotExist):  # type: ignore[attr-defined]
        author.profile  # noqa: B018
    exc_class = Author.profile.RelatedObjectDoesNotExist  # type: ignore[attr-defined]
    assert issubclass(exc_class, Profile.DoesNotExist)
    assert issubclass(exc_class, RelatedObjectDoesNotExist)
    assert issubclass(exc_class, AttributeError)
    assert issubclass(exc_class, ObjectDoesNotExist)
    assert not hasattr(author, "profile")
    with pytest.raises(Author.DoesNotExist):
        Article(title="t").author  # noqa: B018
    assert issubclass(Article.author.RelatedObjectDoesNotExist, Author.DoesNotExist)


def test_reverse_fk_set(connection: DatabaseWrapper) -> None:
    a = Author.objects.create(name="A")
    b = Author.objects.create(name="B")
    x = Article.objects.create(title="x", author=a, editor=b)
    y = Article.objects.create(title="y", author=a)
    z = Article.objects.create(title="z", author=a)
    b.edited.set([y, z])  # x is detached (editor is null=True), y and z attached
    assert sorted(o.title for o in b.edited.all()) == ["y", "z"]
    assert Article.objects.get(pk=x.pk).editor_id is None
    b.edited.set([x], clear=True)
    assert [o.title for o in b.edited.all()] == ["x"]
    # a non-null key: set() only adds
    c = Author.objects.create(name="C")
    c.articles.set([x])
    assert [o.title for o in c.articles.all()] == ["x"]
    new = Article(title="n", author=c)
    b.edited.add(new, bulk=False)
    assert new.pk is not None and new.editor_id == b.pk


async def test_reverse_fk_aset(connection: DatabaseWrapper) -> None:
    a = await Author.objects.acreate(name="A")
    b = await Author.objects.acreate(name="B")
    x = await Article.objects.acreate(title="x", author=a, editor=b)
    y = await Article.objects.acreate(title="y", author=a)
    await b.edited.aset([y])
    assert [o.title async for o in b.edited.all()] == ["y"]
    assert (await Article.objects.aget(pk=x.pk)).editor_id is None


def test_m2m_through_defaults(connection: DatabaseWrapper) -> None:
    t1 = Team.objects.create(code="T1")
    t2 = Team.objects.create(code="T2")
    coach = Coach.objects.create(name="c")
    coach.teams.add(t1, through_defaults={"year": 2020})
    coach.teams.set([t1, t2], through_defaults={"year": 2021})
    assert dict(Contract.objects.values_list("team_id", "year")) == {t1.pk: 2020, t2.pk: 2021}
    t3 = coach.teams.create(code="T3", through_defaults={"year": 1999})
    assert Contract.objects.get(team=t3).year == 1999


async def test_m2m_through_defaults_async(connection: DatabaseWrapper) -> None:
    t1 = await Team.objects.acreate(code="T1")
    coach = await Coach.objects.acreate(name="c")
    await coach.teams.aadd(t1, through_defaults={"year": 2001})
    assert (await Contract.objects.aget()).year == 2001


def test_m2m_self_is_symmetrical(connection: DatabaseWrapper) -> None:
    a = Post.objects.create(title="a")
    b = Post.objects.create(title="b")
    c = Post.objects.create(title="c")
    a.friends.add(b, c)
    assert [p.title for p in b.friends.all()] == ["a"]
    assert sorted(p.title for p in Post.objects.filter(friends=a)) == ["b", "c"]
    b.friends.remove(a)
    assert [p.title for p in a.friends.all()] == ["c"]
    c.friends.clear()
    assert list(a.friends.all()) == []
    a.friends.set([b])
    assert [p.title for p in b.friends.all()] == ["a"]
    assert Post.friends.through.objects.count() == 2


async def test_m2m_self_is_symmetrical_async(connection: DatabaseWrapper) -> None:
    a = await Post.objects.acreate(title="a")
    b = await Post.objects.acreate(title="b")
    await a.friends.aadd(b)
    assert [p.title async for p in b.friends.all()] == ["a"]
    await b.friends.aremove(a)
    assert await a.friends.acount() == 0


def test_slice_with_step_is_a_list(connection: DatabaseWrapper) -> None:
    for i in range(5):
        Author.objects.create(name=f"n{i}")
    rows = Author.objects.all()[::2]
    assert isinstance(rows, list)
    assert [a.name for a in rows] == ["n0", "n2", "n4"]
    assert [a.name for a in Author.objects.all()[1:5:2]] == ["n1", "n3"]
    with pytest.raises(ValueError):
        Author.objects.all()[::-1]


def test_get_deferred_fields(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="A", age=3)
    assert Author.objects.only("name").get().get_deferred_fields() == {"email", "age"}
    assert Author.objects.defer("age").get().get_deferred_fields() == {"age"}
    assert Author.objects.get().get_deferred_fields() == set()


def test_self_referential_cascade_deletes_children_first(connection: DatabaseWrapper) -> None:
    # MariaDB checks foreign keys row by row: one DELETE of parent and child used to fail.
    root = Node.objects.create(name="r")
    child = Node.objects.create(name="c", parent=root)
    Node.objects.create(name="g", parent=child)
    assert root.delete() == (3, {"modeltests.Node": 3})
    root = Node.objects.create(name="r")
    Node.objects.create(name="c", parent=root)
    assert Node.objects.all().delete() == (2, {"modeltests.Node": 2})


def test_select_for_update_needs_a_transaction(transactional_connection: DatabaseWrapper) -> None:
    Author.objects.create(name="A")
    qs = Author.objects.select_for_update()
    if not transactional_connection.features.has_select_for_update:
        assert len(list(qs)) == 1  # SQLite: ignored, as in Django
        return
    with pytest.raises(TransactionManagementError, match="outside of a transaction"):
        list(qs)
    with pytest.raises(TransactionManagementError):
        list(qs.iterator())
    with transaction.atomic():
        with capture_queries() as queries:
            assert len(list(Author.objects.select_for_update())) == 1
        assert "FOR UPDATE" in queries[0].sql.upper()


async def test_aselect_for_update_needs_a_transaction(
    transactional_connection: DatabaseWrapper,
) -> None:
    await Author.objects.acreate(name="A")
    if not transactional_connection.features.has_select_for_update:
        return
    with pytest.raises(TransactionManagementError):
        await Author.objects.select_for_update().aget()
    async with transaction.atomic():
        assert (await Author.objects.select_for_update().aget()).name == "A"


def test_update_or_create_empty_create_defaults(connection: DatabaseWrapper) -> None:
    obj, created = Author.objects.update_or_create(
        name="A", defaults={"age": 5}, create_defaults={}
    )
    assert created and obj.age is None


def test_date_transforms_only_on_temporal_fields(connection: DatabaseWrapper) -> None:
    from djanco.core.exceptions import FieldError

    with pytest.raises(FieldError, match="Unsupported lookup 'year' for IntegerField 'age'"):
        Author.objects.filter(age__year=2024)
    with pytest.raises(FieldError) as info:
        Author.objects.filter(name__foo="x")
    assert "transforms" not in str(info.value)  # a CharField has none
    assert "icontains" in str(info.value)
    with pytest.raises(FieldError, match="Unsupported lookup 'hour' for 'year' of"):
        Article.objects.filter(published__year__hour=1)
    with pytest.raises(FieldError, match="hour"):
        Article.objects.filter(published__date__hour=1)  # a date has no hour
    assert Article.objects.filter(published__date__year=2024).count() == 0
    assert Article.objects.filter(published__time__hour=1).count() == 0
