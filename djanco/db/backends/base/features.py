"""``Features``: what a database can do, for the query layer to pick a strategy.

Each backend package subclasses it in its ``features.py`` (Django's names and defaults where
Django has them); the wrapper holds one instance as ``wrapper.features``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

__all__ = ["Features"]


class Features:
    """What the backend can do, for the query layer to pick a strategy (Django's names)."""

    can_return_rows_from_insert: bool = True
    can_return_rows_from_bulk_insert: bool = True
    can_return_rows_from_update: bool = True
    supports_transactional_ddl: bool = True
    has_select_for_update: bool = False
    has_select_for_update_nowait: bool = False
    has_select_for_update_skip_locked: bool = False
    max_query_params: int | None = None
    supports_partial_indexes: bool = True
    can_alter_table_columns: bool = True
    """ALTER TABLE changes a column's default or its unique constraint in place (else the
    table is rebuilt from its new definition, rows copied)."""

    def setup(self, dialect: Dialect) -> None:
        """Complete what depends on the server (its version, MariaDB or MySQL, ...), once the
        dialect has connected to it."""

    def __repr__(self) -> str:
        names = [n for n in dir(self) if not n.startswith("_") and not callable(getattr(self, n))]
        return "<Features " + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ">"
