"""JSONField key transforms and JSON lookups with Django's semantics on every backend."""

from __future__ import annotations

import re

import pytest

from djanco.core.exceptions import FieldError
from djanco.db import DatabaseWrapper, NotSupportedError
from tests.db.models.models import ALL, Kitchen

pytestmark = pytest.mark.tables(*ALL)

ROWS: dict[str, object] = {
    "ann": {"name": "Ann", "count": 3, "tags": ["a", "b"], "owner": {"name": "Zed", "age": 40}},
    "bob": {"name": "bob smith", "count": 10, "tags": ["b"], "owner": None, "flag": True},
    "cyd": {"name": "Cyd", "count": 2.5, "extra": 1},
    "list": [1, 2, {"k": "v"}],
    "sql_null": None,
}


@pytest.fixture
def kitchens(connection: DatabaseWrapper) -> None:
    for text, data in ROWS.items():
        Kitchen.objects.create(text=text, data=data)


def texts(**lookups: object) -> list[str]:
    return sorted(Kitchen.objects.filter(**lookups).values_list("text", flat=True))


def test_key_exact(kitchens: None) -> None:
    assert texts(data__name="Ann") == ["ann"]
    assert texts(data__count=3) == ["ann"]
    assert texts(data__count=2.5) == ["cyd"]
    assert texts(data__owner__name="Zed") == ["ann"]
    assert texts(data__owner__age=40) == ["ann"]
    assert texts(data__tags=["a", "b"]) == ["ann"]
    assert texts(data__owner={"name": "Zed", "age": 40}) == ["ann"]
    assert texts(data__flag=True) == ["bob"]
    assert texts(data__owner=None) == ["bob"]  # a JSON null, not a missing key
    assert texts(data__name__in=["Ann", "Cyd"]) == ["ann", "cyd"]
    assert texts(data__missing="x") == []


def test_array_index(kitchens: None) -> None:
    assert texts(data__tags__0="a") == ["ann"]
    assert texts(data__tags__0="b") == ["bob"]
    assert texts(data__2__k="v") == ["list"]
    assert texts(data__1=2) == ["list"]


def test_key_isnull_and_has_key(kitchens: None) -> None:
    assert texts(data__owner__isnull=False) == ["ann", "bob"]
    assert texts(data__owner__isnull=True) == ["cyd", "list", "sql_null"]
    assert texts(data__isnull=True) == ["sql_null"]
    assert texts(data__has_key="owner") == ["ann", "bob"]
    assert texts(data__has_keys=["name", "tags"]) == ["ann", "bob"]
    assert texts(data__has_any_keys=["flag", "extra"]) == ["bob", "cyd"]
    assert texts(data__owner__has_key="age") == ["ann"]
    assert Kitchen.objects.exclude(data__has_key="owner").count() == 3


def test_key_comparisons(kitchens: None) -> None:
    assert texts(data__count__gt=3) == ["bob"]
    assert texts(data__count__gte=3) == ["ann", "bob"]
    assert texts(data__count__lt=3) == ["cyd"]
    assert texts(data__count__lte=2.5) == ["cyd"]
    assert texts(data__owner__age__gt=39) == ["ann"]


def test_key_text_lookups(kitchens: None) -> None:
    assert texts(data__name__icontains="SMITH") == ["bob"]
    assert texts(data__name__startswith="bob") == ["bob"]
    assert texts(data__name__startswith="Bob") == []
    assert texts(data__name__istartswith="BOB") == ["bob"]
    assert texts(data__name__endswith="d") == ["cyd"]
    assert texts(data__name__iexact="ann") == ["ann"]
    assert texts(data__name__regex=r"^[AC]") == ["ann", "cyd"]
    assert texts(data__owner__name__iendswith="ED") == ["ann"]


def test_contains(connection: DatabaseWrapper, kitchens: None) -> None:
    if connection.vendor == "sqlite":
        message = "contains lookup is not supported on this database backend."
        with pytest.raises(NotSupportedError, match=re.escape(message)):
            texts(data__contains={"name": "Ann"})
        with pytest.raises(NotSupportedError, match="contained_by lookup is not supported"):
            texts(data__contained_by={"name": "Ann"})
        return
    assert texts(data__contains={"name": "Ann"}) == ["ann"]
    assert texts(data__contains={"owner": {"name": "Zed"}}) == ["ann"]
    assert texts(data__tags__contains=["b"]) == ["ann", "bob"]
    assert texts(data__name__contains="smith") == []  # on a key too: JSON containment
    assert texts(data__name__contains="Ann") == ["ann"]
    assert texts(data__contains={"tags": ["b"]}) == ["ann", "bob"]
    assert texts(data__contained_by={"name": "Cyd", "count": 2.5, "extra": 1, "x": 0}) == ["cyd"]


def test_values_and_ordering(kitchens: None) -> None:
    named = Kitchen.objects.filter(data__has_key="name")
    assert list(named.order_by("data__name").values_list("text", flat=True)) == [
        "ann",
        "cyd",
        "bob",
    ]
    assert list(named.order_by("-data__name").values_list("text", flat=True)) == [
        "bob",
        "cyd",
        "ann",
    ]
    rows = named.order_by("text").values_list("data__name", "data__tags", "data__owner__age")
    assert list(rows) == [
        ("Ann", ["a", "b"], 40),
        ("bob smith", ["b"], None),
        ("Cyd", None, None),
    ]
    assert list(named.filter(text="bob").values("data__flag")) == [{"data__flag": True}]


def test_numeric_ordering(connection: DatabaseWrapper, kitchens: None) -> None:
    counts = Kitchen.objects.filter(data__has_key="count").order_by("data__count")
    order = list(counts.values_list("text", flat=True))
    if connection.vendor == "mysql":  # MariaDB keeps JSON as text: keys order as text
        assert order == ["bob", "cyd", "ann"]
    else:
        assert order == ["cyd", "ann", "bob"]


def test_errors(kitchens: None) -> None:
    with pytest.raises(FieldError, match="Unsupported lookup 'range' for the key transform"):
        texts(data__count__range=(1, 2))
    with pytest.raises(ValueError, match="not JSON serialisable"):
        texts(data__name=object())
    with pytest.raises(TypeError, match="has_keys"):
        texts(data__has_keys="name")


async def test_async(connection: DatabaseWrapper) -> None:
    await Kitchen.objects.acreate(text="a", data={"n": {"m": 1}})
    assert await Kitchen.objects.filter(data__n__m=1).acount() == 1
    assert [k async for k in Kitchen.objects.values_list("data__n", flat=True)] == [{"m": 1}]
