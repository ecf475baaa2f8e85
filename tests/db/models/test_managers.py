"""Custom managers, managers inherited from abstract models, abstract Meta inheritance."""

from __future__ import annotations

import pytest

from djanco.db import DatabaseWrapper
from tests.db.models.models import Entry

pytestmark = pytest.mark.tables.with_args(Entry)


def test_custom_manager_filters(connection: DatabaseWrapper) -> None:
    Entry.objects.create(title="on")
    Entry.objects.create(title="off", live=False)
    assert Entry.objects.count() == 2
    assert [e.title for e in Entry.live_objects.all()] == ["on"]  # type: ignore[attr-defined]
    assert Entry.live_objects.model is Entry  # type: ignore[attr-defined]


def test_abstract_meta_is_inherited() -> None:
    assert Entry._meta.ordering == ["-created"]
    assert [f.name for f in Entry._meta.fields] == ["id", "created", "title", "live"]


def test_manager_not_on_instances() -> None:
    with pytest.raises(AttributeError, match="isn't accessible via Entry instances"):
        Entry(title="x").objects  # type: ignore[misc]  # noqa: B018


def test_default_manager_is_the_first_declared() -> None:
    from tests.db.models.models import Author

    assert Entry._meta.default_manager is Entry.objects
    assert Author._meta.default_manager is Author.objects
    assert Entry._meta.base_manager.model is Entry
