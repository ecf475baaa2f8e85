"""The SQL PostgreSQL spells its own way."""

from __future__ import annotations

from djanco.db.backends.base.operations import DatabaseOperations as BaseDatabaseOperations

__all__ = ["DatabaseOperations"]


class DatabaseOperations(BaseDatabaseOperations):
    """PostgreSQL's answers to ``wrapper.ops`` (see the base class)."""
