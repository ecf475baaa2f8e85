"""Field options (db_column, choices enums, validators, verbose names) and Meta.db_table."""

from __future__ import annotations

import datetime as dt

import pytest

from djanco.core.exceptions import ValidationError
from djanco.db import DatabaseWrapper
from djanco.db.models import F, Now
from tests.db.models.models import Priority, Task

pytestmark = pytest.mark.tables.with_args(Task)


def test_db_column_and_db_table(connection: DatabaseWrapper) -> None:
    assert Task._meta.db_table == "custom_tasks"
    assert "task_title" in Task._meta.table.c
    Task.objects.create(title="write")
    raw = connection.execute("SELECT task_title FROM custom_tasks").rows
    assert raw == [("write",)]
    assert Task.objects.filter(title__startswith="wr").values_list("title", flat=True)[0] == "write"
    assert Task.objects.order_by("title").first() is not None


def test_integer_choices() -> None:
    assert Priority.HIGH == 2
    assert Priority.HIGH.label == "High"
    assert Priority.LOW.label == "Low"
    assert Task._meta.get_field("priority").choices == [(1, "Low"), (2, "High")]  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as exc:
        Task(title="t", priority=3).full_clean()
    assert exc.value.message_dict["priority"] == ["Value 3 is not a valid choice."]


def test_validators_option(connection: DatabaseWrapper) -> None:
    with pytest.raises(ValidationError) as exc:
        Task(title="t", size=3).full_clean()
    assert exc.value.message_dict == {"size": ["3 is not even."]}
    Task(title="t", size=4).full_clean()


def test_verbose_names() -> None:
    assert Task._meta.verbose_name == "job"
    assert Task._meta.verbose_name_plural == "jobs"
    assert Task._meta.get_field("title").verbose_name == "headline"  # type: ignore[union-attr]
    assert Task._meta.get_field("size").verbose_name == "size"  # type: ignore[union-attr]


def test_now_and_f_annotations(connection: DatabaseWrapper) -> None:
    Task.objects.create(title="a", size=2)
    Task.objects.filter(title="a").update(due=Now())
    task = Task.objects.annotate(double=F("size") * 2, later=F("size") + 10).get()
    assert (task.double, task.later) == (4, 12)  # type: ignore[attr-defined]
    assert task.due is not None
    assert abs(task.due - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
