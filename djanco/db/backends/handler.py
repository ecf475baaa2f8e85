"""``connections``: the ``DatabaseWrapper`` of each alias, made lazily from its URL by the
backend package that serves the URL's scheme."""

from __future__ import annotations

import atexit
import importlib
import os
import pkgutil
import threading
from collections.abc import Iterator, Mapping

from djanco.conf import on_setting_changed, settings
from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.utils import ConnectionDoesNotExist

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionHandler",
    "backend_of",
    "connections",
    "create_wrapper",
    "vendor_of",
]

DEFAULT_DB_ALIAS = "default"

_inherited: list[DatabaseWrapper] = []  # kept alive forever in a forked child (see _after_fork)

_backends: dict[str, type[DatabaseWrapper]] = {}  # URL scheme → wrapper class, found once


def _find_backends() -> dict[str, type[DatabaseWrapper]]:
    """Every package beside ``base`` in this directory is a backend: its ``DatabaseWrapper``
    says which URL schemes it serves. A new database is one new package, nothing else."""
    if not _backends:
        found: dict[str, type[DatabaseWrapper]] = {}
        for info in pkgutil.iter_modules([os.path.dirname(__file__)], "djanco.db.backends."):
            if not info.ispkg or info.name == "djanco.db.backends.base":
                continue
            wrapper = importlib.import_module(info.name).DatabaseWrapper
            if not (isinstance(wrapper, type) and issubclass(wrapper, DatabaseWrapper)):
                raise TypeError(f"{info.name}.DatabaseWrapper is not a DatabaseWrapper subclass")
            found.update(dict.fromkeys(wrapper.url_schemes, wrapper))
        _backends.update(found)
    return _backends


def backend_of(url: str) -> type[DatabaseWrapper]:
    """The wrapper class serving ``url``'s scheme; ValueError for a scheme none serves."""
    scheme = url.partition(":")[0].partition("+")[0].lower()
    try:
        return _find_backends()[scheme]
    except KeyError:
        raise ValueError(
            f"Unsupported database URL {url!r}: use sqlite:///path, "
            "postgresql://user@host:port/db or mysql://user@host:port/db"
        ) from None


def vendor_of(url: str) -> str:
    """ "sqlite", "postgresql" or "mysql" for a database URL; ValueError for anything else."""
    return backend_of(url).vendor


def create_wrapper(alias: str, url: str) -> DatabaseWrapper:
    """The ``DatabaseWrapper`` of ``url``'s backend, for ``alias``."""
    return backend_of(url)(alias, url)


class ConnectionHandler:
    """Maps aliases to wrappers; ``settings.DATABASES`` unless ``configure()`` overrides it."""

    def __init__(self) -> None:
        self._wrappers: dict[str, DatabaseWrapper] = {}
        self._override: dict[str, str] | None = None
        self._lock = threading.Lock()
        self._unblocked: tuple[dict[str, DatabaseWrapper], dict[str, str] | None] | None = None

    @property
    def databases(self) -> dict[str, str]:
        """Alias → URL currently in force."""
        if self._override is not None:
            return self._override
        return settings.DATABASES

    def __getitem__(self, alias: str) -> DatabaseWrapper:
        try:
            return self._wrappers[alias]
        except KeyError:
            pass
        with self._lock:
            if alias not in self._wrappers:
                databases = self.databases
                if alias not in databases:
                    known = ", ".join(repr(a) for a in databases) or "none"
                    raise ConnectionDoesNotExist(
                        f"The database alias {alias!r} is not in DATABASES (configured: {known})"
                    )
                self._wrappers[alias] = create_wrapper(alias, databases[alias])
            return self._wrappers[alias]

    def __contains__(self, alias: object) -> bool:
        return alias in self.databases

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.databases))

    def all(self, initialized_only: bool = False) -> list[DatabaseWrapper]:
        """The wrappers of every alias (only those already in use if ``initialized_only``)."""
        if initialized_only:
            return list(self._wrappers.values())
        return [self[alias] for alias in self]

    def configure(self, databases: Mapping[str, str] | None) -> None:
        """Use ``databases`` instead of ``settings.DATABASES`` (None: back to the settings).

        Wrappers made before are closed. Used by the test runner for per-run test databases.
        """
        self._override = None if databases is None else dict(databases)
        self.reset()

    def add(self, alias: str, url: str) -> DatabaseWrapper:
        """Add (or replace) one alias without touching the others (tests: a second database).

        Only while ``configure()`` overrides the settings.
        """
        if self._override is None:
            raise RuntimeError("connections.add() needs connections.configure({...}) first")
        with self._lock:
            old = self._wrappers.pop(alias, None)
            self._override = {**self._override, alias: url}
        if old is not None:
            old.close()
        return self[alias]

    def remove(self, alias: str) -> None:
        """Close and forget an alias added with ``add()``."""
        if self._override is None or alias not in self._override:
            return
        with self._lock:
            old = self._wrappers.pop(alias, None)
            self._override = {k: v for k, v in self._override.items() if k != alias}
        if old is not None:
            old.close()

    def block(self, message: str) -> None:
        """Refuse every database access with ``RuntimeError(message)`` until ``unblock()``.

        The test plugin blocks tests that did not ask for a database, so they cannot silently
        touch the development database. Open wrappers are kept aside, not closed.
        """
        with self._lock:
            if self._unblocked is None:
                self._unblocked = (self._wrappers, self._override)
                self._wrappers, self._override = {}, _Blocked(message)

    def unblock(self) -> None:
        with self._lock:
            if self._unblocked is not None:
                (self._wrappers, self._override), self._unblocked = self._unblocked, None

    def reset(self) -> None:
        """Close and forget every wrapper; the next access builds them again."""
        with self._lock:
            wrappers, self._wrappers = self._wrappers, {}
        for wrapper in wrappers.values():
            wrapper.close()

    def close_all(self) -> None:
        """Close idle pooled connections of every wrapper (they reopen on demand)."""
        for wrapper in list(self._wrappers.values()):
            wrapper.close()

    async def aclose_all(self) -> None:
        """Close idle async connections of the running event loop, for every wrapper."""
        for wrapper in list(self._wrappers.values()):
            await wrapper.aclose()

    def _after_fork(self) -> None:
        """In a forked child: forget the parent's connections without closing them (closing
        would end the parent's sessions on the shared sockets); new ones open on demand."""
        _inherited.extend(self._wrappers.values())
        self._wrappers = {}
        self._lock = threading.Lock()

    def _setting_changed(self, name: str) -> None:
        if name == "DATABASES" and self._override is None:
            self.reset()
        elif name == "DEBUG":
            for wrapper in list(self._wrappers.values()):
                wrapper.debug_log = bool(settings.DEBUG)


class _Blocked(dict[str, str]):
    """The DATABASES of a blocked handler: asking for any alias raises the reason."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def __contains__(self, alias: object) -> bool:
        raise RuntimeError(self.message)


connections = ConnectionHandler()
"""``connections[alias]`` → the ``DatabaseWrapper`` for that ``settings.DATABASES`` entry."""

on_setting_changed(connections._setting_changed)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=connections._after_fork)
# Idle connections are closed when the process exits, not whenever finalization reaches them
# (perhaps never: a sqlite3 connection needs the garbage collector), so SQLite checkpoints
# and removes its -wal/-shm files and servers see the sessions end.
atexit.register(connections.close_all)
