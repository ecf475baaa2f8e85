"""pre_save/post_save, pre_delete/post_delete and m2m_changed, with sync and async receivers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from djanco.db import DatabaseWrapper
from djanco.db.models import signals
from tests.db.models.models import ALL, M2M, Article, Author, Label, Post

pytestmark = pytest.mark.tables(*ALL, *M2M)


@pytest.fixture
def events() -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def on_save(sender: type, instance: Author, created: bool, **kwargs: object) -> None:
        seen.append(("post_save", (instance.name, created, kwargs["update_fields"])))

    def on_pre_save(sender: type, instance: Author, **kwargs: object) -> None:
        instance.name = instance.name.strip()
        seen.append(("pre_save", instance.name))

    async def on_delete(sender: type, instance: object, **kwargs: object) -> None:
        if not sender._meta.auto_created:  # type: ignore[attr-defined]  # skip join rows
            seen.append(("post_delete", type(instance).__name__))

    def on_m2m(sender: type, action: str, pk_set: set[object] | None, **kwargs: object) -> None:
        seen.append((action, None if pk_set is None else len(pk_set)))

    signals.pre_save.connect(on_pre_save, sender=Author)
    signals.post_save.connect(on_save, sender=Author)
    signals.post_delete.connect(on_delete)
    signals.m2m_changed.connect(on_m2m, sender=Post.labels.through)  # type: ignore[attr-defined]
    yield seen
    signals.pre_save.disconnect(on_pre_save, sender=Author)
    signals.post_save.disconnect(on_save, sender=Author)
    signals.post_delete.disconnect(on_delete)
    signals.m2m_changed.disconnect(on_m2m, sender=Post.labels.through)  # type: ignore[attr-defined]


def test_save_and_delete_signals(
    events: list[tuple[str, object]], connection: DatabaseWrapper
) -> None:
    author = Author.objects.create(name="  Ann ")
    assert Author.objects.get(pk=author.pk).name == "Ann"
    author.save(update_fields=["name"])
    Article.objects.create(title="t", author=author)  # not an Author: no save signal
    author.delete()
    assert events == [
        ("pre_save", "Ann"),
        ("post_save", ("Ann", True, None)),
        ("pre_save", "Ann"),
        ("post_save", ("Ann", False, frozenset({"name"}))),
        ("post_delete", "Article"),
        ("post_delete", "Author"),
    ]


def test_queryset_delete_sends_per_object(
    events: list[tuple[str, object]], connection: DatabaseWrapper
) -> None:
    for name in ["a", "b"]:
        Author.objects.create(name=name)
    events.clear()
    assert Author.objects.all().delete()[0] == 2
    assert events == [("post_delete", "Author"), ("post_delete", "Author")]


def test_m2m_changed(events: list[tuple[str, object]], connection: DatabaseWrapper) -> None:
    post = Post.objects.create(title="p")
    a, b = Label.objects.create(name="a"), Label.objects.create(name="b")
    post.labels.add(a, b)
    post.labels.remove(a)
    post.labels.clear()
    assert events == [
        ("pre_add", 2),
        ("post_add", 2),
        ("pre_remove", 1),
        ("post_remove", 1),
        ("pre_clear", None),
        ("post_clear", None),
    ]


async def test_async_receivers(
    events: list[tuple[str, object]], connection: DatabaseWrapper
) -> None:
    author = await Author.objects.acreate(name=" Zed")
    await author.adelete()
    assert events == [
        ("pre_save", "Zed"),
        ("post_save", ("Zed", True, None)),
        ("post_delete", "Author"),
    ]
