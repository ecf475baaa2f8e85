"""PostgreSQL: psycopg 3 for sync code, asyncpg (or psycopg) for async code."""

from __future__ import annotations

from djanco.db.backends.postgresql.base import PostgreSQLWrapper
from djanco.db.backends.postgresql.operations import DatabaseOperations

DatabaseWrapper = PostgreSQLWrapper
"""The backend's wrapper class, the name the backend registry looks for."""

__all__ = ["DatabaseOperations", "DatabaseWrapper", "PostgreSQLWrapper"]
