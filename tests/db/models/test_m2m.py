"""ManyToManyField: managers on both sides, joins, prefetch, cascades."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper
from tests.db.models.models import M2M, Label, Post

pytestmark = pytest.mark.tables(*M2M)


@pytest.fixture
def labels(connection: DatabaseWrapper) -> dict[str, Label]:
    return {n: Label.objects.create(name=n) for n in ["a", "b", "c"]}


def names(qs: object) -> list[str]:
    return sorted(x.name for x in qs)  # type: ignore[attr-defined]


def test_add_remove_set_clear(labels: dict[str, Label]) -> None:
    post = Post.objects.create(title="p")
    post.labels.add(labels["a"], labels["b"])
    post.labels.add(labels["a"])  # already linked: no duplicate
    assert names(post.labels.all()) == ["a", "b"]
    assert post.labels.count() == 2
    post.labels.remove(labels["a"])
    assert names(post.labels.all()) == ["b"]
    post.labels.set([labels["c"], labels["a"]])
    assert names(post.labels.all()) == ["a", "c"]
    post.labels.clear()
    assert post.labels.count() == 0
    made = post.labels.create(name="new")
    assert names(post.labels.all()) == ["new"]
    assert [p.title for p in made.posts.all()] == ["p"]


def test_reverse_side_and_filters(labels: dict[str, Label]) -> None:
    p1 = Post.objects.create(title="one")
    p2 = Post.objects.create(title="two")
    p1.labels.set([labels["a"], labels["b"]])
    p2.labels.set([labels["b"]])
    assert sorted(p.title for p in labels["b"].posts.all()) == ["one", "two"]
    labels["c"].posts.add(p2)
    assert names(p2.labels.all()) == ["b", "c"]
    assert sorted(p.title for p in Post.objects.filter(labels__name="a")) == ["one"]
    assert Post.objects.filter(labels__name__in=["a", "b"]).distinct().count() == 2
    assert names(Label.objects.filter(posts__title="two")) == ["b", "c"]
    assert Post.objects.filter(labels=labels["c"]).get() == p2


def test_self_referential(connection: DatabaseWrapper) -> None:
    a = Post.objects.create(title="a")
    b = Post.objects.create(title="b")
    a.friends.add(b)
    assert [p.title for p in a.friends.all()] == ["b"]
    # As Django, a ManyToManyField("self") is symmetrical: b is a's friend and a is b's.
    assert [p.title for p in b.friends.all()] == ["a"]


def test_prefetch_m2m(labels: dict[str, Label], connection: DatabaseWrapper) -> None:
    for i in range(3):
        Post.objects.create(title=f"p{i}").labels.set(list(labels.values())[: i + 1])
    connection.queries_log = []
    posts = list(Post.objects.prefetch_related("labels").order_by("title"))
    assert [names(p.labels.all()) for p in posts] == [["a"], ["a", "b"], ["a", "b", "c"]]
    assert len(connection.queries_log) == 3
    connection.queries_log = None
    by_label = {
        lab.name: len(list(lab.posts.all())) for lab in Label.objects.prefetch_related("posts")
    }
    assert by_label == {"a": 3, "b": 2, "c": 1}


def test_prefetched_m2m_manager_queries_only_the_instances_objects(
    labels: dict[str, Label],
) -> None:
    Post.objects.create(title="one").labels.set([labels["a"]])
    Post.objects.create(title="all").labels.set(list(labels.values()))
    one = Post.objects.prefetch_related("labels").get(title="one")
    assert names(one.labels.all()) == ["a"]
    assert names(one.labels.exclude(name="z")) == ["a"]


def test_delete_cascades_join_rows(labels: dict[str, Label]) -> None:
    post = Post.objects.create(title="gone")
    post.labels.set(list(labels.values()))
    total, counts = post.delete()
    assert counts == {"modeltests.Post_labels": 3, "modeltests.Post": 1}
    assert total == 4
    assert Post.labels.through.objects.count() == 0  # type: ignore[attr-defined]


async def test_async_m2m(connection: DatabaseWrapper) -> None:
    labels = {n: await Label.objects.acreate(name=n) for n in ["a", "b", "c"]}
    post = await Post.objects.acreate(title="async")
    await post.labels.aadd(labels["a"], labels["b"])
    assert await post.labels.acount() == 2
    await post.labels.aremove(labels["a"])
    await post.labels.aset([labels["c"]])
    assert [x.name async for x in post.labels.all()] == ["c"]
    await post.labels.aclear()
    assert not await post.labels.aexists()
    posts = [p async for p in Post.objects.prefetch_related("labels")]
    assert len(posts) == 1
