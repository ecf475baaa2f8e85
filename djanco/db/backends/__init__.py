"""Database backends: the connection of each alias, pooling, and sync/async statement execution.

``base/`` holds what every database shares; ``sqlite/``, ``postgresql/`` and ``mysql/`` are one
package per database, each with its wrapper (connections, driver calls) and its
``DatabaseOperations`` (the SQL it spells its own way, ``wrapper.ops``).
"""

from __future__ import annotations

from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.backends.base.features import Features
from djanco.db.backends.base.operations import DatabaseOperations
from djanco.db.backends.base.pool import PoolTimeout
from djanco.db.backends.base.state import QueryRecord, TxState
from djanco.db.backends.base.statements import CompiledQuery, Params, Result, Row, Statement
from djanco.db.backends.handler import ConnectionHandler, create_wrapper, vendor_of

__all__ = [
    "CompiledQuery",
    "ConnectionHandler",
    "DatabaseOperations",
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
