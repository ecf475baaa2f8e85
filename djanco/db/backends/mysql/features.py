"""What MariaDB and MySQL can do (some of it known once the server has said which it is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.db.backends.base.features import Features

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(Features):
    can_return_rows_from_insert = False  # until the server says it is MariaDB ≥ 10.5
    can_return_rows_from_bulk_insert = False
    can_return_rows_from_update = False
    supports_transactional_ddl = False
    has_select_for_update = True
    supports_partial_indexes = False

    def setup(self, dialect: Dialect) -> None:
        returning = bool(getattr(dialect, "insert_returning", False))
        self.can_return_rows_from_insert = returning
        self.can_return_rows_from_bulk_insert = returning
        self.has_select_for_update_nowait = True
        self.has_select_for_update_skip_locked = True
