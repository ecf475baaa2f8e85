"""MariaDB and MySQL: PyMySQL for sync code, asyncmy for async code."""

from __future__ import annotations

from djanco.db.backends.mysql.base import MySQLWrapper
from djanco.db.backends.mysql.operations import DatabaseOperations

DatabaseWrapper = MySQLWrapper
"""The backend's wrapper class, the name the backend registry looks for."""

__all__ = ["DatabaseOperations", "DatabaseWrapper", "MySQLWrapper"]
