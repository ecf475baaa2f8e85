"""ForeignKey and OneToOneField: access, reverse managers, joins, on_delete, eager loading."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper, SynchronousOnlyOperation
from djanco.db.models import ProtectedError, Q, RelatedObjectDoesNotExist
from tests.db.models.models import ALL, Article, Author, Guarded, Node, Profile

pytestmark = pytest.mark.tables(*ALL)


@pytest.fixture
def data(connection: DatabaseWrapper) -> dict[str, Author]:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    for i in range(3):
        Article.objects.create(title=f"ann{i}", author=ann, views=i, editor=bob if i else None)
    Article.objects.create(title="bob0", author=bob, views=10)
    return {"ann": ann, "bob": bob}


def test_forward_access_loads_once(data: dict[str, Author], connection: DatabaseWrapper) -> None:
    article = Article.objects.get(title="ann1")
    connection.queries_log = []
    assert article.author.name == "Ann"
    assert article.author.name == "Ann"
    assert len(connection.queries_log) == 1
    connection.queries_log = None
    assert article.editor == data["bob"]
    assert Article.objects.get(title="ann0").editor is None


def test_assignment_sets_key(data: dict[str, Author]) -> None:
    article = Article.objects.get(title="ann0")
    article.author = data["bob"]
    assert article.author_id == data["bob"].pk  # type: ignore[attr-defined]
    article.save()
    assert Article.objects.get(title="ann0").author == data["bob"]
    with pytest.raises(ValueError, match='must be a "Author" instance'):
        article.author = article  # type: ignore[assignment]


def test_unsaved_related_object_refused(connection: DatabaseWrapper) -> None:
    article = Article(title="x", author=Author(name="unsaved"))
    with pytest.raises(ValueError, match="unsaved related object 'author'"):
        article.save()


def test_reverse_manager(data: dict[str, Author]) -> None:
    ann = data["ann"]
    assert sorted(a.title for a in ann.articles.all()) == ["ann0", "ann1", "ann2"]
    assert ann.articles.count() == 3
    assert [a.title for a in ann.articles.filter(views__gte=1).order_by("-views")] == [
        "ann2",
        "ann1",
    ]
    new = ann.articles.create(title="ann3")
    assert new.author == ann
    assert ann.articles.count() == 4
    bob_article = Article.objects.get(title="bob0")
    ann.articles.add(bob_article)
    assert Article.objects.get(title="bob0").author == ann
    with pytest.raises(TypeError, match="Direct assignment"):
        ann.articles = []  # type: ignore[misc]


def test_reverse_manager_default_name(data: dict[str, Author]) -> None:
    assert data["bob"].edited.count() == 2  # type: ignore[attr-defined]


def test_filter_across_relations(data: dict[str, Author]) -> None:
    titles = sorted(a.title for a in Article.objects.filter(author__name="Ann"))
    assert titles == ["ann0", "ann1", "ann2"]
    assert Article.objects.filter(author__age__gte=35).count() == 1
    assert Article.objects.filter(author=data["bob"]).count() == 1
    assert Article.objects.filter(author__in=[data["bob"]]).count() == 1
    assert Article.objects.filter(editor__isnull=True).count() == 2
    assert Article.objects.filter(editor__name="Bob").count() == 2
    # reverse: authors having an article with views >= 10
    assert [a.name for a in Author.objects.filter(articles__views__gte=10)] == ["Bob"]
    assert Author.objects.filter(articles__title__startswith="ann").distinct().count() == 1
    ordered = [a.title for a in Article.objects.order_by("-author__name", "title")]
    assert ordered == ["bob0", "ann0", "ann1", "ann2"]
    assert Article.objects.filter(author__name="Ann").update(views=7) == 3
    assert list(Article.objects.filter(author__name="Ann").values_list("author__name", flat=True))
    assert Article.objects.filter(author__in=Author.objects.filter(name="Bob")).count() == 1


def test_select_related(data: dict[str, Author], connection: DatabaseWrapper) -> None:
    connection.queries_log = []
    articles = list(Article.objects.select_related("author", "editor").order_by("title"))
    assert [a.author.name for a in articles] == ["Ann", "Ann", "Ann", "Bob"]
    assert [a.editor.name if a.editor else None for a in articles] == [None, "Bob", "Bob", None]
    assert len(connection.queries_log) == 1
    connection.queries_log = None


def test_select_related_multi_level(connection: DatabaseWrapper) -> None:
    root = Node.objects.create(name="root")
    mid = Node.objects.create(name="mid", parent=root)
    Node.objects.create(name="leaf", parent=mid)
    leaf = Node.objects.select_related("parent__parent").get(name="leaf")
    connection.queries_log = []
    assert leaf.parent is not None and leaf.parent.parent is not None
    assert leaf.parent.parent.name == "root"
    assert connection.queries_log == []
    connection.queries_log = None
    assert [n.name for n in root.children.all()] == ["mid"]  # type: ignore[attr-defined]


def test_prefetch_related(data: dict[str, Author], connection: DatabaseWrapper) -> None:
    connection.queries_log = []
    authors = list(Author.objects.prefetch_related("articles"))
    assert len(connection.queries_log) == 2
    counts = {a.name: len(list(a.articles.all())) for a in authors}
    assert counts == {"Ann": 3, "Bob": 1}
    assert len(connection.queries_log) == 2
    connection.queries_log = None


def test_prefetched_related_manager_queries_only_the_instances_objects(
    data: dict[str, Author],
) -> None:
    ann = Author.objects.prefetch_related("articles").get(name="Ann")
    # The prefetched rows answer all(); a further filter is a query for Ann's articles only.
    assert sorted(a.title for a in ann.articles.filter(views__gte=0)) == ["ann0", "ann1", "ann2"]
    assert ann.articles.filter(title="bob0").count() == 0


def test_prefetched_related_manager_clears_only_the_instances_objects(
    data: dict[str, Author],
) -> None:
    Article.objects.filter(title="ann0").update(editor=data["ann"])
    bob = Author.objects.prefetch_related("edited").get(name="Bob")
    bob.edited.clear()  # type: ignore[attr-defined]
    assert [a.title for a in Article.objects.filter(editor__isnull=False)] == ["ann0"]


def test_cascade_and_counts(data: dict[str, Author]) -> None:
    total, per_model = data["ann"].delete()
    assert total == 4
    assert per_model == {"modeltests.Article": 3, "modeltests.Author": 1}
    assert Article.objects.count() == 1
    assert data["ann"].pk is None


def test_set_null(data: dict[str, Author]) -> None:
    Author.objects.filter(name="Bob").delete()
    assert Article.objects.filter(editor__isnull=False).count() == 0
    assert Article.objects.count() == 3


def test_protect(data: dict[str, Author]) -> None:
    guard = Guarded.objects.create(author=data["ann"])
    with pytest.raises(ProtectedError) as exc:
        data["ann"].delete()
    assert exc.value.protected_objects == {guard}
    assert "protected foreign keys: 'Guarded.author'" in str(exc.value)
    assert Author.objects.filter(name="Ann").exists()
    assert Article.objects.filter(author__name="Ann").count() == 3


def test_one_to_one(data: dict[str, Author]) -> None:
    profile = Profile.objects.create(author=data["ann"], bio="hi")
    ann = Author.objects.get(name="Ann")
    assert ann.profile == profile  # type: ignore[attr-defined]
    with pytest.raises(RelatedObjectDoesNotExist, match="Author has no profile"):
        Author.objects.get(name="Bob").profile  # type: ignore[attr-defined]  # noqa: B018


async def test_async_relation_access_is_explicit(connection: DatabaseWrapper) -> None:
    ann = await Author.objects.acreate(name="Ann", age=30)
    bob = await Author.objects.acreate(name="Bob", age=40)
    for i in range(3):
        await Article.objects.acreate(title=f"ann{i}", author=ann, views=i)
    await Article.objects.acreate(title="bob0", author=bob, views=10)
    data = {"ann": ann, "bob": bob}
    article = await Article.objects.aget(title="ann0")
    with pytest.raises(SynchronousOnlyOperation, match="select_related"):
        article.author  # noqa: B018
    assert (await Article.author.afetch(article)).name == "Ann"
    assert article.author.name == "Ann"  # cached now
    eager = await Article.objects.select_related("author").aget(title="ann1")
    assert eager.author.name == "Ann"
    authors = [a async for a in Author.objects.prefetch_related("articles").order_by("name")]
    assert [len(list(a.articles.all())) for a in authors] == [3, 1]
    assert await data["ann"].articles.acount() == 3
    await data["ann"].adelete()
    assert await Article.objects.acount() == 1


def test_prefetch_object(data: dict[str, Author], connection: DatabaseWrapper) -> None:
    from djanco.db.models import Prefetch

    popular = Article.objects.filter(views__gte=1).order_by("-views")
    authors = list(
        Author.objects.prefetch_related(Prefetch("articles", queryset=popular, to_attr="hits"))
    )
    hits = {a.name: [x.title for x in a.hits] for a in authors}  # type: ignore[attr-defined]
    assert hits == {"Ann": ["ann2", "ann1"], "Bob": ["bob0"]}
    again = Author.objects.prefetch_related(Prefetch("articles", queryset=popular)).get(name="Ann")
    connection.queries_log = []
    assert [x.title for x in again.articles.all()] == ["ann2", "ann1"]
    assert connection.queries_log == []
    connection.queries_log = None
    editors = list(Article.objects.prefetch_related("editor").order_by("title"))
    assert [a.editor.name if a.editor else None for a in editors] == [None, "Bob", "Bob", None]


def test_exclude_across_multi_valued_relation(data: dict[str, Author]) -> None:
    Author.objects.create(name="Cyd")  # no articles at all
    # Authors with no article titled "ann1": Bob and Cyd (Ann has one, among others).
    assert sorted(a.name for a in Author.objects.exclude(articles__title="ann1")) == [
        "Bob",
        "Cyd",
    ]
    assert sorted(a.name for a in Author.objects.filter(~Q(articles__views__gte=5))) == [
        "Ann",
        "Cyd",
    ]
    # filter() across the same relation still joins (one row per matching article).
    assert Author.objects.filter(articles__views__lt=5).count() == 3


def test_select_related_without_names_follows_non_null_keys(
    data: dict[str, Author], connection: DatabaseWrapper
) -> None:
    articles = list(Article.objects.select_related().order_by("title"))
    connection.queries_log = []
    assert [a.author.name for a in articles] == ["Ann", "Ann", "Ann", "Bob"]
    assert connection.queries_log == []
    connection.queries_log = None
    assert "editor" not in articles[1]._state.fields_cache  # nullable: not followed
