"""What SQLite can do (depends on the library Python was built with)."""

from __future__ import annotations

import sqlite3

from djanco.db.backends.base.features import Features

__all__ = ["DatabaseFeatures"]

_RETURNING = sqlite3.sqlite_version_info >= (3, 35)


class DatabaseFeatures(Features):
    can_return_rows_from_insert = _RETURNING
    can_return_rows_from_bulk_insert = _RETURNING
    can_return_rows_from_update = _RETURNING
    max_query_params = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
    can_alter_table_columns = False
