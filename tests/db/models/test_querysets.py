"""QuerySet API: chaining, lookups, Q/F, ordering, slicing, values, bulk operations."""

from __future__ import annotations

import pytest

from djanco.core.exceptions import FieldError
from djanco.db import DatabaseWrapper
from djanco.db.models import F, Q
from tests.db.models.models import ALL, Article, Author

pytestmark = pytest.mark.tables(*ALL)


@pytest.fixture
def authors(connection: DatabaseWrapper) -> list[Author]:
    names = ["Ann", "bob", "Cid", "dee", "Eve"]
    return [Author.objects.create(name=n, age=20 + i) for i, n in enumerate(names)]


def names(qs: object) -> list[str]:
    """Names sorted case-insensitively (MariaDB's default collation orders that way)."""
    return sorted((a.name for a in qs), key=str.casefold)  # type: ignore[attr-defined]


def seq(qs: object) -> list[str]:
    """Names in the queryset's own order."""
    return [a.name for a in qs]  # type: ignore[attr-defined]


def test_filter_exclude_chain(authors: list[Author]) -> None:
    assert names(Author.objects.filter(age__gte=22)) == ["Cid", "dee", "Eve"]
    assert names(Author.objects.filter(age__gte=22).exclude(name="dee")) == ["Cid", "Eve"]
    assert names(Author.objects.filter(age__in=[20, 24, 99])) == ["Ann", "Eve"]
    assert names(Author.objects.filter(age__in=[])) == []
    assert names(Author.objects.filter(age__range=(21, 22))) == ["bob", "Cid"]
    assert names(Author.objects.filter(age__lt=21)) == ["Ann"]
    assert names(Author.objects.filter(age__lte=21)) == ["Ann", "bob"]
    assert names(Author.objects.filter(age__gt=23)) == ["Eve"]


def test_lazy_and_cached(authors: list[Author], connection: DatabaseWrapper) -> None:
    connection.queries_log = []
    qs = Author.objects.filter(age__gte=0)
    assert connection.queries_log == []
    list(qs)
    list(qs)
    assert len(qs) == 5
    assert len(connection.queries_log) == 1
    connection.queries_log = None


def test_text_lookups(authors: list[Author]) -> None:
    assert names(Author.objects.filter(name__exact="Ann")) == ["Ann"]
    assert names(Author.objects.filter(name__iexact="ANN")) == ["Ann"]
    assert names(Author.objects.filter(name__contains="e")) == ["dee", "Eve"]
    assert names(Author.objects.filter(name__icontains="E")) == ["dee", "Eve"]
    assert names(Author.objects.filter(name__startswith="b")) == ["bob"]
    assert names(Author.objects.filter(name__istartswith="B")) == ["bob"]
    assert names(Author.objects.filter(name__endswith="e")) == ["dee", "Eve"]
    assert names(Author.objects.filter(name__iendswith="B")) == ["bob"]
    assert names(Author.objects.filter(name__contains="E")) == ["Eve"]


def test_wildcards_match_literally(connection: DatabaseWrapper) -> None:
    for name in ["100%", "1000", "a_b", "axb", "back\\slash", "back", "st*r", "str", "[x]", "x"]:
        Author.objects.create(name=name)
    assert names(Author.objects.filter(name__contains="%")) == ["100%"]
    assert names(Author.objects.filter(name__icontains="_")) == ["a_b"]
    assert names(Author.objects.filter(name__contains="\\")) == ["back\\slash"]
    assert names(Author.objects.filter(name__startswith="st*")) == ["st*r"]
    assert names(Author.objects.filter(name__contains="[x")) == ["[x]"]
    assert names(Author.objects.filter(name__iexact="A_B")) == ["a_b"]


def test_hostile_strings_round_trip(connection: DatabaseWrapper) -> None:
    nasty = "'; DROP TABLE modeltests_author; -- \" %s %(x)s ? $1 \\ é 日本 🎉" + "x" * 50
    author = Author.objects.create(name=nasty[:100])
    assert Author.objects.get(pk=author.pk).name == nasty[:100]
    assert Author.objects.filter(name=nasty[:100]).count() == 1


def test_isnull_and_none(authors: list[Author]) -> None:
    Author.objects.create(name="Nobody", age=None)
    assert names(Author.objects.filter(age__isnull=True)) == ["Nobody"]
    assert names(Author.objects.filter(age=None)) == ["Nobody"]
    assert Author.objects.filter(age__isnull=False).count() == 5
    # exclude() keeps rows where the column is NULL, as in Django.
    assert "Nobody" in names(Author.objects.exclude(age=20))


def test_q_objects(authors: list[Author]) -> None:
    assert names(Author.objects.filter(Q(name="Ann") | Q(age=24))) == ["Ann", "Eve"]
    assert names(Author.objects.filter(Q(age__gte=21) & ~Q(name="bob"))) == ["Cid", "dee", "Eve"]
    assert names(Author.objects.filter(~Q(age__gte=21))) == ["Ann"]
    assert names(Author.objects.filter(Q(name="Ann") | Q(name="bob"), age=21)) == ["bob"]


def test_f_expressions(authors: list[Author]) -> None:
    assert Author.objects.filter(age__gte=F("age")).count() == 5
    assert Author.objects.filter(age__gt=F("age") + 1).count() == 0
    assert Author.objects.filter(age__gte=22).update(age=F("age") + 10) == 3
    assert sorted(a.age or 0 for a in Author.objects.all()) == [20, 21, 32, 33, 34]


def test_ordering_and_reverse(authors: list[Author]) -> None:
    assert seq(Author.objects.order_by("-age")) == ["Eve", "dee", "Cid", "bob", "Ann"]
    assert seq(Author.objects.order_by("age").reverse()) == ["Eve", "dee", "Cid", "bob", "Ann"]
    assert seq(Author.objects.order_by(F("age").desc())) == ["Eve", "dee", "Cid", "bob", "Ann"]
    assert len(list(Author.objects.order_by("?"))) == 5
    with pytest.raises(FieldError, match="Cannot resolve keyword 'agee' into field of Author"):
        Author.objects.order_by("agee")


def test_nulls_last(authors: list[Author]) -> None:
    Author.objects.create(name="Zed", age=None)
    ordered = Author.objects.order_by(F("age").desc(nulls_last=True))
    assert seq(ordered)[-1] == "Zed"
    ordered = Author.objects.order_by(F("age").asc(nulls_first=True))
    assert seq(ordered)[0] == "Zed"


def test_slicing(authors: list[Author]) -> None:
    qs = Author.objects.order_by("age")
    assert seq(qs[1:3]) == ["bob", "Cid"]
    assert seq(qs[3:]) == ["dee", "Eve"]
    assert seq(qs[:2]) == ["Ann", "bob"]
    assert qs[2].name == "Cid"
    assert seq(qs[1:4][1:2]) == ["Cid"]
    with pytest.raises(IndexError):
        qs[10]
    with pytest.raises(ValueError, match="Negative indexing"):
        qs[-1]
    with pytest.raises(TypeError, match="Cannot filter a query once a slice"):
        qs[1:2].filter(age=1)
    assert qs[1:3].count() == 2


def test_first_last_earliest_latest(authors: list[Author]) -> None:
    assert Author.objects.order_by("age").first() == authors[0]
    assert Author.objects.order_by("age").last() == authors[-1]
    assert Author.objects.filter(age=99).first() is None
    assert Author.objects.latest("age") == authors[-1]
    assert Author.objects.earliest("age") == authors[0]


def test_count_exists_none_distinct(authors: list[Author]) -> None:
    assert Author.objects.count() == 5
    assert Author.objects.filter(age__gt=22).count() == 2
    assert Author.objects.exists()
    assert not Author.objects.filter(age=0).exists()
    assert list(Author.objects.none()) == []
    assert Author.objects.none().count() == 0
    assert Author.objects.values_list("age", flat=True).distinct().count() == 5


def test_values_and_values_list(authors: list[Author]) -> None:
    rows = list(Author.objects.filter(name="Ann").values("name", "age"))
    assert rows == [{"name": "Ann", "age": 20}]
    full = Author.objects.filter(name="Ann").values().get()
    assert set(full) == {"id", "name", "email", "age"}
    assert list(Author.objects.order_by("age").values_list("age", flat=True)) == [
        20,
        21,
        22,
        23,
        24,
    ]
    pair = Author.objects.order_by("age").values_list("name", "age")[0]
    assert pair == ("Ann", 20)
    named = Author.objects.order_by("age").values_list("name", "age", named=True)[0]
    assert named.name == "Ann" and named.age == 20
    with pytest.raises(TypeError, match="'flat' is not valid"):
        Author.objects.values_list("name", "age", flat=True)


def test_get_or_create_update_or_create(connection: DatabaseWrapper) -> None:
    obj, created = Author.objects.get_or_create(name="G", defaults={"age": 5})
    assert created and obj.age == 5
    again, created = Author.objects.get_or_create(name="G", defaults={"age": 6})
    assert not created and again == obj and again.age == 5
    upd, created = Author.objects.update_or_create(name="G", defaults={"age": 7})
    assert not created and upd.age == 7
    assert Author.objects.get(name="G").age == 7
    new, created = Author.objects.update_or_create(name="H", defaults={"age": 1})
    assert created and new.pk is not None


def test_bulk_create_sets_pks(connection: DatabaseWrapper) -> None:
    objs = Author.objects.bulk_create([Author(name=f"n{i}", age=i) for i in range(250)])
    assert all(o.pk is not None for o in objs)
    assert len({o.pk for o in objs}) == 250
    assert Author.objects.count() == 250
    assert Author.objects.get(pk=objs[10].pk).name == "n10"
    small = Author.objects.bulk_create([Author(name=f"b{i}") for i in range(7)], batch_size=3)
    assert Author.objects.filter(name__startswith="b").count() == 7
    assert all(o._state.adding is False for o in small)


def test_bulk_create_ignore_conflicts(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="u", email="u@example.com")
    Author.objects.bulk_create(
        [Author(name="u2", email="u@example.com"), Author(name="v", email="v@example.com")],
        ignore_conflicts=True,
    )
    assert sorted(names(Author.objects.all())) == ["u", "v"]


def test_in_bulk_and_iterator(authors: list[Author]) -> None:
    found = Author.objects.in_bulk([authors[0].pk, authors[2].pk])
    assert found == {authors[0].pk: authors[0], authors[2].pk: authors[2]}
    assert Author.objects.in_bulk([]) == {}
    assert len(Author.objects.in_bulk()) == 5
    assert [a.name for a in Author.objects.order_by("age").iterator(chunk_size=2)] == [
        "Ann",
        "bob",
        "Cid",
        "dee",
        "Eve",
    ]


def test_update_and_delete_return_counts(authors: list[Author]) -> None:
    assert Author.objects.filter(age__lt=22).update(email=None, age=1) == 2
    assert Author.objects.filter(age=1).count() == 2
    assert Author.objects.filter(age=1).delete() == (2, {"modeltests.Author": 2})
    assert Author.objects.count() == 3


def test_field_errors_name_model_part_and_choices(connection: DatabaseWrapper) -> None:
    with pytest.raises(FieldError) as exc:
        Author.objects.filter(nmae="x")
    msg = str(exc.value)
    assert "'nmae'" in msg and "Author" in msg and "name" in msg and "age" in msg
    with pytest.raises(FieldError, match="Unsupported lookup 'containz' for CharField 'name'"):
        Author.objects.filter(name__containz="x")
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nme' into field of Author"):
        Article.objects.filter(author__nme="x")


def test_field_errors_suggest_the_closest_name(connection: DatabaseWrapper) -> None:
    """A typo in a lookup, a field, an ordering or a values() name suggests the right one."""
    cases = [
        (lambda: Author.objects.filter(name__icontans="x"), "'icontans'", "'icontains'"),
        (lambda: Author.objects.filter(nmae="x"), "'nmae'", "'name'"),
        (lambda: Article.objects.filter(author__nme="x"), "'nme'", "'name'"),
        (lambda: list(Author.objects.order_by("-agee")), "'agee'", "'age'"),
        (lambda: list(Author.objects.values("nmae")), "'nmae'", "'name'"),
        (lambda: list(Author.objects.values_list("agee", flat=True)), "'agee'", "'age'"),
    ]
    for run, typo, suggestion in cases:
        with pytest.raises(FieldError) as exc:
            run()
        assert typo in str(exc.value)
        assert f"Did you mean {suggestion}?" in str(exc.value)
    with pytest.raises(FieldError) as exc:
        Author.objects.filter(zzzzzz=1)
    assert "Did you mean" not in str(exc.value)  # nothing close: no guess


def test_wrong_typed_value_names_field(connection: DatabaseWrapper) -> None:
    with pytest.raises(ValueError, match="Field 'id' expected a number but got 'abc'"):
        Author.objects.filter(id="abc")
    with pytest.raises(ValueError, match="Field 'age' expected a number"):
        Author.objects.filter(age__gt="x")


async def test_async_queryset_api(connection: DatabaseWrapper) -> None:
    names = ["Ann", "bob", "Cid", "dee", "Eve"]
    authors = [await Author.objects.acreate(name=n, age=20 + i) for i, n in enumerate(names)]
    qs = Author.objects.filter(age__gte=22)
    assert await qs.acount() == 3
    assert (await qs.order_by("age").afirst()) == authors[2]
    assert (await qs.order_by("age").alast()) == authors[4]
    assert [a.name async for a in qs.order_by("age")] == ["Cid", "dee", "Eve"]
    assert [a.name async for a in qs.order_by("age").aiterator(chunk_size=1)] == [
        "Cid",
        "dee",
        "Eve",
    ]
    assert await qs.aupdate(age=50) == 3
    obj, created = await Author.objects.aget_or_create(name="New", defaults={"age": 1})
    assert created
    obj, created = await Author.objects.aupdate_or_create(name="New", defaults={"age": 2})
    assert not created and obj.age == 2
    made = await Author.objects.abulk_create([Author(name="x1"), Author(name="x2")])
    assert all(m.pk for m in made)
    assert len(await Author.objects.ain_bulk([made[0].pk])) == 1
    assert await Author.objects.filter(name__startswith="x").adelete() == (
        2,
        {"modeltests.Author": 2},
    )


def test_only_and_defer_load_on_access(authors: list[Author], connection: DatabaseWrapper) -> None:
    author = Author.objects.only("name").get(name="Ann")
    assert "age" not in author.__dict__
    connection.queries_log = []
    assert author.age == 20
    assert len(connection.queries_log) == 1
    connection.queries_log = None
    deferred = Author.objects.defer("age", "email").get(name="bob")
    assert set(deferred.__dict__) >= {"id", "name"} and "age" not in deferred.__dict__
    assert deferred.age == 21
    with pytest.raises(FieldError, match="across relations"):
        Article.objects.only("author__name")


def test_select_for_update_in_atomic(authors: list[Author]) -> None:
    from djanco.db.transaction import atomic

    with atomic():
        locked = Author.objects.select_for_update().get(name="Ann")
        locked.age = 99
        locked.save()
    assert Author.objects.get(name="Ann").age == 99


def test_using_default_alias(authors: list[Author]) -> None:
    assert Author.objects.using("default").count() == 5
    assert Author.objects.all().db == "default"


def test_bulk_update(authors: list[Author]) -> None:
    for a in authors:
        a.age = (a.age or 0) + 100
    assert Author.objects.bulk_update(authors, ["age"]) == 5
    assert min(Author.objects.values_list("age", flat=True)) == 120


def test_exclude_q_combinations(authors: list[Author]) -> None:
    assert names(Author.objects.exclude(Q(age=20) | Q(age=21))) == ["Cid", "dee", "Eve"]
    assert names(Author.objects.exclude(age__gte=21, name="Eve")) == [
        "Ann",
        "bob",
        "Cid",
        "dee",
    ]


def test_iterator_streams_in_chunks(connection: DatabaseWrapper) -> None:
    Author.objects.bulk_create([Author(name=f"s{i:03}", age=i) for i in range(120)])
    seen = [a.age for a in Author.objects.order_by("age").iterator(chunk_size=25)]
    assert seen == list(range(120))
    it = Author.objects.order_by("age").iterator(chunk_size=10)
    assert next(it).age == 0
    it.close()  # stopping early releases the connection
    assert Author.objects.count() == 120
    values = list(Author.objects.order_by("age").values_list("age", flat=True).iterator())
    assert values[:3] == [0, 1, 2]


def test_regex_lookups(authors: list[Author]) -> None:
    assert names(Author.objects.filter(name__regex=r"^[A-C]")) == ["Ann", "Cid"]
    assert names(Author.objects.filter(name__iregex=r"^[a-c]")) == ["Ann", "bob", "Cid"]


def test_too_long_value_is_data_error(connection: DatabaseWrapper) -> None:
    from djanco.db import DataError
    from djanco.db.transaction import atomic

    if connection.vendor == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    with pytest.raises(DataError), atomic():
        Author.objects.create(name="x" * 101)
    Author.objects.create(name="fits")
    assert Author.objects.count() == 1


def test_union_intersection_difference(authors: list[Author]) -> None:
    young = Author.objects.filter(age__lte=21)
    old = Author.objects.filter(age__gte=23)
    both = young.union(old).order_by("-age")
    assert seq(both) == ["Eve", "dee", "bob", "Ann"]
    assert both.count() == 4
    assert seq(young.union(old).order_by("age")[1:3]) == ["bob", "dee"]
    assert len(list(young.union(young, all=True))) == 4
    assert seq(Author.objects.filter(age__gte=21).intersection(young)) == ["bob"]
    assert names(Author.objects.all().difference(young, old)) == ["Cid"]
    values = young.values_list("name", flat=True).union(old.values_list("name", flat=True))
    assert sorted(values, key=str.casefold) == ["Ann", "bob", "dee", "Eve"]


def test_distinct_values_count(authors: list[Author]) -> None:
    Author.objects.create(name="Ann", age=50)
    assert Author.objects.values_list("name", flat=True).distinct().count() == 5
    assert len(list(Author.objects.values("name").distinct())) == 5
    assert Author.objects.distinct().count() == 6


def test_bulk_update_many_types(connection: DatabaseWrapper) -> None:
    import datetime as dt

    from tests.db.models.models import Kitchen

    rows = Kitchen.objects.bulk_create([Kitchen(text=f"k{i}") for i in range(7)])
    when = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    for i, row in enumerate(rows):
        row.text = f"new{i}"
        row.moment = when
        row.ratio = i / 2
    assert Kitchen.objects.bulk_update(rows, ["text", "moment", "ratio"], batch_size=3) == 7
    fresh = list(Kitchen.objects.order_by("pk"))
    assert [k.text for k in fresh] == [f"new{i}" for i in range(7)]
    assert {k.moment for k in fresh} == {when}
    assert fresh[3].ratio == 1.5
    with pytest.raises(ValueError, match="do not exist"):
        Kitchen.objects.bulk_update(rows, ["nope"])


def test_saving_a_deferred_instance_keeps_unloaded_columns(authors: list[Author]) -> None:
    partial = Author.objects.only("name").get(name="Ann")
    partial.name = "Annie"
    partial.save()
    fresh = Author.objects.get(pk=partial.pk)
    assert (fresh.name, fresh.age) == ("Annie", 20)


def test_none_runs_no_query(connection: DatabaseWrapper) -> None:
    connection.queries_log = []
    assert list(Author.objects.none()) == []
    assert list(Author.objects.filter(age=1).none().values("name")) == []
    assert connection.queries_log == []
    connection.queries_log = None
