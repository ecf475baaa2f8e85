"""Database errors with Django's (PEP 249) names, raised in place of each driver's own classes.

Every driver error that reaches user code is one of these, whatever the backend: catching
``djanco.db.IntegrityError`` works the same on SQLite, PostgreSQL and MariaDB. The driver's
exception stays available as ``__cause__``.
"""

from __future__ import annotations

from djanco.core.exceptions import SynchronousOnlyOperation as SynchronousOnlyOperation


class Error(Exception):
    """Base class of every database error."""


class InterfaceError(Error):
    """The driver interface (not the database) failed, e.g. a closed connection was used."""


class DatabaseError(Error):
    """The database reported an error."""


class DataError(DatabaseError):
    """Bad data: a value too long for its column, out of range, or of the wrong form."""


class OperationalError(DatabaseError):
    """The database could not do the work: lost connection, lock timeout, server gone."""


class IntegrityError(DatabaseError):
    """A constraint was violated: unique, foreign key, not null or check."""


class InternalError(DatabaseError):
    """The database hit an internal error, e.g. a transaction that is no longer valid."""


class ProgrammingError(DatabaseError):
    """Bad SQL: a syntax error, a missing table or column, a wrong number of parameters."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested feature."""


class ConnectionDoesNotExist(Exception):
    """The database alias is not in ``settings.DATABASES``."""


# Most specific first: the first name found in a driver exception's class hierarchy wins.
_BY_NAME: dict[str, type[Error]] = {
    "IntegrityError": IntegrityError,
    "DataError": DataError,
    "OperationalError": OperationalError,
    "ProgrammingError": ProgrammingError,
    "NotSupportedError": NotSupportedError,
    "InternalError": InternalError,
    "InterfaceError": InterfaceError,
    # asyncpg's, for a connection left mid-operation (e.g. by a database restart)
    "InternalClientError": InterfaceError,
    "DatabaseError": DatabaseError,
    "Error": Error,
}


# PostgreSQL SQLSTATE classes (first two characters), for drivers outside PEP 249 (asyncpg);
# the same grouping psycopg uses.
_BY_SQLSTATE: dict[str, type[Error]] = {
    "08": OperationalError,
    "0A": NotSupportedError,
    "20": ProgrammingError,
    "21": ProgrammingError,
    "22": DataError,
    "23": IntegrityError,
    "24": InternalError,
    "25": InternalError,
    "26": InternalError,
    "27": InternalError,
    "28": OperationalError,
    "2B": InternalError,
    "2D": InternalError,
    "2F": InternalError,
    "34": ProgrammingError,
    "38": InternalError,
    "39": InternalError,
    "3B": InternalError,
    "3D": ProgrammingError,
    "3F": ProgrammingError,
    "40": OperationalError,
    "42": ProgrammingError,
    "44": ProgrammingError,
    "53": OperationalError,
    "54": OperationalError,
    "55": OperationalError,
    "57": OperationalError,
    "58": OperationalError,
    "F0": OperationalError,
    "HV": OperationalError,
    "P0": InternalError,
    "XX": InternalError,
}


# MySQL/MariaDB report these constraint failures as OperationalError; like Django, they are
# integrity errors: NULL into NOT NULL, value out of range, CHECK failed (MySQL, MariaDB).
_MYSQL_INTEGRITY_CODES = frozenset({1048, 1690, 3819, 4025})


def translate_error(exc: BaseException) -> Error | None:
    """Return the Djanco error for the driver error ``exc``, or None if it is not one.

    PEP 249 drivers carry the standard names somewhere in their class hierarchy
    (``psycopg.errors.UniqueViolation`` → ``IntegrityError``); asyncpg's server errors are
    matched by their SQLSTATE instead.
    """
    if isinstance(exc, Error):
        return exc
    message = str(exc).strip()
    driver = type(exc).__module__.split(".")[0]
    if driver in ("pymysql", "asyncmy") and exc.args and exc.args[0] in _MYSQL_INTEGRITY_CODES:
        return IntegrityError(message)
    for klass in type(exc).__mro__:
        target = _BY_NAME.get(klass.__name__)
        if target is not None and klass.__module__.split(".")[0] not in ("builtins", "djanco"):
            return target(message or klass.__name__)
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and len(sqlstate) == 5:
        return _BY_SQLSTATE.get(sqlstate[:2], DatabaseError)(message or sqlstate)
    return None
