"""``DatabaseOperations``: where each database's own SQL lives (``wrapper.ops``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

    from djanco.db.backends.base.features import Features

__all__ = ["Connection", "DatabaseOperations"]


class Connection(Protocol):
    """What operations may ask of their wrapper (a ``DatabaseWrapper``)."""

    @property
    def alias(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def features(self) -> Features: ...
    @property
    def dialect(self) -> Dialect: ...


class DatabaseOperations:
    """The SQL that differs between databases, asked for by the ORM and migrations.

    This is the one place for a database's quirks: the query layer (``djanco.db.models``) and
    the migrations never test ``wrapper.vendor`` to choose SQL; they call a method of
    ``wrapper.ops`` instead — random ordering, NULLS FIRST/LAST, time-zone conversion of
    datetimes, bulk inserts, JSON paths and so on. Each backend package subclasses this class
    in its ``operations.py`` and overrides only what its database spells differently; the
    methods here give the standard SQL (or SQLAlchemy's portable construct). Adding a
    database means adding one package with its own ``DatabaseOperations``.

    A method takes and returns SQLAlchemy Core constructs or plain values, never a driver
    connection: operations describe SQL, the wrapper runs it.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        """The wrapper of the alias (``ops.connection.features``, ``.dialect``)."""
