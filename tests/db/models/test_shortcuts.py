"""get_object_or_404 / get_list_or_404 and their async forms, on every backend."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper
from djanco.http import Http404
from djanco.shortcuts import (
    aget_list_or_404,
    aget_object_or_404,
    get_list_or_404,
    get_object_or_404,
)
from tests.db.models.models import ALL, Author

pytestmark = pytest.mark.tables(*ALL)


def test_get_object_or_404_from_model_manager_and_queryset(connection: DatabaseWrapper) -> None:
    ann = Author.objects.create(name="Ann", email="ann@example.com")
    assert get_object_or_404(Author, pk=ann.pk) == ann
    assert get_object_or_404(Author.objects, name="Ann") == ann
    assert get_object_or_404(Author.objects.filter(name__startswith="A"), pk=ann.pk) == ann
    with pytest.raises(Http404, match="No Author matches the given query"):
        get_object_or_404(Author, pk=ann.pk + 1)
    with pytest.raises(Http404):
        get_object_or_404(Author.objects.filter(name="Bob"), pk=ann.pk)


def test_more_than_one_match_is_not_a_404(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="Ann", email="a1@example.com")
    Author.objects.create(name="Ann", email="a2@example.com")
    with pytest.raises(Author.MultipleObjectsReturned):
        get_object_or_404(Author, name="Ann")


def test_get_list_or_404(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="Ann", email="ann@example.com")
    assert [a.name for a in get_list_or_404(Author, name="Ann")] == ["Ann"]
    with pytest.raises(Http404, match="No Author matches the given query"):
        get_list_or_404(Author.objects.all(), name="Bob")


def test_wrong_first_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a Model, Manager or QuerySet, not 'str'"):
        get_object_or_404("Author", pk=1)  # type: ignore[call-overload]


async def test_async_forms(connection: DatabaseWrapper) -> None:
    ann = await Author.objects.acreate(name="Ann", email="ann@example.com")
    assert await aget_object_or_404(Author, pk=ann.pk) == ann
    assert [a.pk for a in await aget_list_or_404(Author.objects, name="Ann")] == [ann.pk]
    with pytest.raises(Http404, match="No Author matches the given query"):
        await aget_object_or_404(Author.objects.filter(name="Bob"))
    with pytest.raises(Http404):
        await aget_list_or_404(Author, name="Bob")
