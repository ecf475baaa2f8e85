"""Database backends: the connection of each alias, pooling, and sync/async statement execution."""

from __future__ import annotations

from djanco.db.backends.base import DatabaseWrapper, Features, QueryRecord, Statement, TxState
from djanco.db.backends.compiled import CompiledQuery, Params, Result, Row
from djanco.db.backends.handler import ConnectionHandler, create_wrapper, vendor_of
from djanco.db.backends.pool import PoolTimeout

__all__ = [
    "CompiledQuery",
    "ConnectionHandler",
    "DatabaseWrapper",
    "Features",
    "Params",
    "PoolTimeout",
    "QueryRecord",
    "Result",
    "Row",
    "Statement",
    "TxState",
    "create_wrapper",
    "vendor_of",
]
