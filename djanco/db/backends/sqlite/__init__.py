"""SQLite: the standard library's sqlite3, on a thread per connection for async code."""

from __future__ import annotations

from djanco.db.backends.sqlite.base import SQLiteWrapper
from djanco.db.backends.sqlite.operations import DatabaseOperations

DatabaseWrapper = SQLiteWrapper
"""The backend's wrapper class, the name the backend registry looks for."""

__all__ = ["DatabaseOperations", "DatabaseWrapper", "SQLiteWrapper"]
