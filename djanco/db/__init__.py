"""Databases: ``connections`` per alias and database errors; models and transactions below."""

from __future__ import annotations

from djanco.db.backends import CompiledQuery, ConnectionHandler, DatabaseWrapper, Result
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

DEFAULT_DB_ALIAS = "default"

connections = ConnectionHandler()
"""``connections[alias]`` → the ``DatabaseWrapper`` for that ``settings.DATABASES`` entry."""


def _listen_for_settings() -> None:
    import os

    from djanco.conf import on_setting_changed

    on_setting_changed(connections._setting_changed)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=connections._after_fork)


_listen_for_settings()
