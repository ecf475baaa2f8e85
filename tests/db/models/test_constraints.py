"""Meta.indexes and Meta.constraints are created with the table and enforced."""

from __future__ import annotations

import datetime as dt

import pytest

from djanco.db import DatabaseWrapper, IntegrityError
from djanco.db.transaction import atomic
from tests.db.models.models import Booking

pytestmark = pytest.mark.tables.with_args(Booking)
DAY = dt.date(2024, 1, 1)


def test_table_has_indexes_and_constraints() -> None:
    table = Booking._meta.table
    assert {i.name for i in table.indexes} >= {"one_active"}
    assert len(table.indexes) == 2
    names = {c.name for c in table.constraints}
    assert {"seats_positive", "code_day"} <= names


def test_unique_constraint(connection: DatabaseWrapper) -> None:
    Booking.objects.create(room=1, day=DAY, code="x")
    with pytest.raises(IntegrityError), atomic():
        Booking.objects.create(room=2, day=DAY, code="x")
    assert Booking.objects.count() == 1


def test_check_constraint(connection: DatabaseWrapper) -> None:
    # On MariaDB too (errno 4025, an OperationalError from the driver), as in Django.
    with pytest.raises(IntegrityError), atomic():
        Booking.objects.create(room=1, day=DAY, seats=0)
    assert Booking.objects.count() == 0


def test_conditional_unique(connection: DatabaseWrapper) -> None:
    if connection.vendor == "mysql":
        pytest.skip("MySQL/MariaDB have no partial indexes; the condition is ignored (as Django)")
    Booking.objects.create(room=1, day=DAY, active=False, code="a")
    Booking.objects.create(room=1, day=DAY, active=False, code="b")
    Booking.objects.create(room=1, day=DAY, active=True, code="c")
    with pytest.raises(IntegrityError), atomic():
        Booking.objects.create(room=1, day=DAY, active=True, code="d")
    assert Booking.objects.count() == 3


def test_full_clean_checks_unique_constraints(connection: DatabaseWrapper) -> None:
    from djanco.core.exceptions import ValidationError

    Booking.objects.create(room=1, day=DAY, code="x")
    with pytest.raises(ValidationError) as exc:
        Booking(room=2, day=DAY, code="x").full_clean()
    assert exc.value.message_dict["__all__"] == ["Booking with this Code and Day already exists."]
    Booking(room=2, day=DAY, code="y").full_clean()
