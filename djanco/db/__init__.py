"""Databases: ``connections`` per alias and database errors; models and transactions below."""

from __future__ import annotations

from djanco.db.backends import CompiledQuery, ConnectionHandler, DatabaseWrapper, Result
from djanco.db.backends.handler import DEFAULT_DB_ALIAS, connections
from djanco.db.utils import (
    ConnectionDoesNotExist,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    SynchronousOnlyOperation,
)

__all__ = [
    "DEFAULT_DB_ALIAS",
    "CompiledQuery",
    "ConnectionDoesNotExist",
    "ConnectionHandler",
    "DataError",
    "DatabaseError",
    "DatabaseWrapper",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Result",
    "SynchronousOnlyOperation",
    "connections",
]
