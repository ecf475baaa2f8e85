"""What every backend shares: the ``DatabaseWrapper`` base class and the pools, transactions,
statement execution, operations and features it is composed of; each database's package
subclasses these."""

from __future__ import annotations

from djanco.db.backends.base.base import DatabaseWrapper

__all__ = ["DatabaseWrapper"]
