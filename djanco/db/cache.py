"""The database cache: entries in a table made by ``djanco createcachetable``.

``djanco.core.cache`` sits below the database floor and may not import it, so this backend
lives here and CACHES names it by its path::

    CACHES = {"default": {"BACKEND": "djanco.db.cache.DatabaseCache", "LOCATION": "cache_table"}}

It uses only the public connection API (``connections[alias].execute``/``aexecute`` with
SQLAlchemy Core statements, and ``atomic()``), on the ``default`` database.
"""

from __future__ import annotations

import base64
import pickle
import time
from decimal import Decimal
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

from djanco.conf import CacheSettings
from djanco.core.cache.backends.base import BaseCache, Expiry
from djanco.core.exceptions import ImproperlyConfigured
from djanco.db import DEFAULT_DB_ALIAS, IntegrityError, Result, connections
from djanco.db.transaction import atomic
from djanco.utils.flow import Call, Flow

__all__ = ["DatabaseCache", "cache_table", "create_cache_table"]

_T = TypeVar("_T")


def cache_table(name: str) -> sa.Table:
    """The table of a database cache: key, base64 of the pickled value, and the expiry as
    seconds since the epoch (NULL: never)."""
    table = sa.Table(
        name,
        sa.MetaData(),
        sa.Column("cache_key", sa.String(255), primary_key=True),
        # MySQL's TEXT holds 64 KB; a length makes it the LONGTEXT Django uses there.
        sa.Column("value", sa.Text().with_variant(sa.Text(2**32 - 1), "mysql"), nullable=False),
        sa.Column("expires", sa.Double(), nullable=True),
    )
    sa.Index(f"{name}_expires", table.c.expires)
    return table


def create_cache_table(
    name: str, using: str = DEFAULT_DB_ALIAS, dry_run: bool = False
) -> list[str]:
    """Create the table of a database cache (and its index) unless it exists; the SQL run,
    or only shown with ``dry_run``. Empty when the table is already there."""
    wrapper = connections[using]
    if sa.inspect(wrapper.sa_engine).has_table(name):
        return []
    table = cache_table(name)
    statements: list[CreateTable | CreateIndex] = [CreateTable(table)]
    statements.extend(CreateIndex(index) for index in table.indexes)
    sql = [str(statement.compile(dialect=wrapper.dialect)).strip() for statement in statements]
    if not dry_run:
        for statement in statements:
            wrapper.execute(statement)
    return sql


class DatabaseCache(BaseCache):
    """``BACKEND: "djanco.db.cache.DatabaseCache"``, ``LOCATION``: the table's name."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, location: str | list[str], params: CacheSettings) -> None:
        super().__init__(location, params)
        if not isinstance(location, str) or not location:
            raise ImproperlyConfigured(
                "A database cache's LOCATION is the name of its table, e.g. 'cache_table' "
                "(create it with `djanco createcachetable`)."
            )
        self.using = DEFAULT_DB_ALIAS
        self.table = cache_table(location)

    # -- steps -----------------------------------------------------------------------------
    def _execute(self, statement: sa.Executable) -> Flow[Result]:
        wrapper = connections[self.using]
        result: Result = yield Call(wrapper.execute, wrapper.aexecute, statement)
        return result

    def _atomic(self, body: Flow[_T]) -> Flow[_T]:
        """``body`` inside ``atomic()`` (a savepoint inside the caller's transaction)."""
        block = atomic(using=self.using)
        yield Call(block.__enter__, block.__aenter__)
        try:
            result = yield from body
        except BaseException as exc:
            yield Call(block.__exit__, block.__aexit__, type(exc), exc, exc.__traceback__)
            raise
        yield Call(block.__exit__, block.__aexit__, None, None, None)
        return result

    def _encode(self, value: object) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("ascii")

    # -- the flows -------------------------------------------------------------------------
    def get_many_flow(self, keys: list[str]) -> Flow[dict[str, object]]:
        t = self.table
        query = sa.select(t.c.cache_key, t.c.value, t.c.expires).where(t.c.cache_key.in_(keys))
        rows = (yield from self._execute(query)).rows
        now = time.time()
        found: dict[str, object] = {}
        expired: list[str] = []
        for key, value, expires in rows:
            if not _is_live(expires, now):
                expired.append(str(key))
            else:
                found[str(key)] = pickle.loads(base64.b64decode(str(value)))
        if expired:
            yield from self.delete_many_flow(expired)
        return found

    def get_flow(self, key: str, default: object) -> Flow[object]:
        found = yield from self.get_many_flow([key])
        return found.get(key, default)

    def has_key_flow(self, key: str) -> Flow[bool]:
        t = self.table
        query = sa.select(t.c.cache_key).where(
            t.c.cache_key == key, sa.or_(t.c.expires.is_(None), t.c.expires > time.time())
        )
        return (yield from self._execute(query)).first() is not None

    def set_flow(self, key: str, value: object, expiry: Expiry) -> Flow[None]:
        if expiry is not None and expiry <= 0:
            yield from self.delete_flow(key)
        else:
            yield from self._write("set", key, value, expiry)

    def add_flow(self, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        return (yield from self._write("add", key, value, expiry))

    def touch_flow(self, key: str, expiry: Expiry) -> Flow[bool]:
        if expiry is not None and expiry <= 0:
            return (yield from self.delete_flow(key))
        return (yield from self._write("touch", key, None, expiry))

    def _write(self, mode: str, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        if mode != "touch":
            yield from self._cull()
        try:
            return (yield from self._atomic(self._write_row(mode, key, value, expiry)))
        except IntegrityError:
            return False  # another process inserted the key first: as if it came just before

    def _write_row(self, mode: str, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        t = self.table
        row = (yield from self._execute(sa.select(t.c.expires).where(t.c.cache_key == key))).first()
        now = time.time()
        live = row is not None and _is_live(row[0], now)
        deadline = None if expiry is None else now + expiry
        if mode == "touch" or (mode == "add" and live):
            if mode == "add" or not live:
                return False
            yield from self._execute(
                sa.update(t).where(t.c.cache_key == key).values(expires=deadline)
            )
            return True
        encoded = self._encode(value)
        if row is None:
            yield from self._execute(
                sa.insert(t).values(cache_key=key, value=encoded, expires=deadline)
            )
        else:
            yield from self._execute(
                sa.update(t).where(t.c.cache_key == key).values(value=encoded, expires=deadline)
            )
        return True

    def _cull(self) -> Flow[None]:
        """Past MAX_ENTRIES: drop expired entries, then 1/CULL_FREQUENCY of the rest."""
        t = self.table
        count_query = sa.select(sa.func.count()).select_from(t)
        count = _number((yield from self._execute(count_query)).scalar())
        if count < self._max_entries:
            return
        yield from self._execute(sa.delete(t).where(t.c.expires <= time.time()))
        count = _number((yield from self._execute(count_query)).scalar())
        if count < self._max_entries:
            return
        if self._cull_frequency == 0:
            yield from self.clear_flow()
            return
        cutoff_query = (
            sa.select(t.c.cache_key)
            .order_by(t.c.cache_key)
            .limit(1)
            .offset(count // self._cull_frequency)
        )
        cutoff = (yield from self._execute(cutoff_query)).scalar()
        if cutoff is not None:
            yield from self._execute(sa.delete(t).where(t.c.cache_key < cutoff))

    def delete_flow(self, key: str) -> Flow[bool]:
        t = self.table
        result = yield from self._execute(sa.delete(t).where(t.c.cache_key == key))
        return result.rowcount > 0

    def delete_many_flow(self, keys: list[str]) -> Flow[None]:
        if keys:
            t = self.table
            yield from self._execute(sa.delete(t).where(t.c.cache_key.in_(keys)))

    def clear_flow(self) -> Flow[None]:
        yield from self._execute(sa.delete(self.table))


def _number(value: object) -> int:
    """A COUNT(*) as the driver returns it (an int, or a Decimal on some)."""
    assert isinstance(value, int | float | Decimal), value
    return int(value)


def _is_live(expires: object, now: float) -> bool:
    """Whether an entry with this ``expires`` column (NULL: never) is still valid."""
    if expires is None:
        return True
    assert isinstance(expires, int | float | Decimal), expires
    return float(expires) > now
