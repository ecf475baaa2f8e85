"""The Redis cache, through redis-py: its sync client for the sync API, its asyncio client
(one per event loop) for the async API.

A Redis that cannot be reached never takes the site down: reads miss (the default is
returned), writes are dropped, and one warning says so on the ``djanco.cache`` logger (at
most once a minute while it lasts, then one line when it is back).
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import random
import re
import threading
import time
from collections.abc import Awaitable
from typing import Any

import redis
import redis.asyncio
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from djanco.conf import CacheSettings
from djanco.core.cache.backends.base import BaseCache, Expiry
from djanco.utils.flow import Call, Flow

__all__ = ["RedisCache"]

logger = logging.getLogger("djanco.cache")

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_REPORT_EVERY = 60.0
"""Seconds between two warnings about the same unreachable server."""
_DEFAULT_OPTIONS: dict[str, object] = {"socket_connect_timeout": 1.0, "socket_timeout": 5.0}
"""Without timeouts a Redis that stopped answering would hang every request that uses it."""


def _dumps(value: object, protocol: int) -> bytes | int:
    # Integers are stored as Redis integers, so incr()/decr() are atomic INCRBY commands.
    if type(value) is int:
        return value
    return pickle.dumps(value, protocol)


def _loads(raw: bytes) -> object:
    try:
        return int(raw)
    except ValueError:
        return pickle.loads(raw)


def _milliseconds(expiry: float) -> int:
    """A lifetime for PX/PEXPIRE; a positive one is never rounded down to none."""
    return max(1, round(expiry * 1000))


class RedisCache(BaseCache):
    """``BACKEND: "djanco.core.cache.backends.redis.RedisCache"``, ``LOCATION:
    "redis://127.0.0.1:6379/0"`` (``rediss://`` for TLS). Several URLs (a list, or separated
    by ``;`` or ``,``): writes go to the first, reads to one of the others. OPTIONS are passed
    to redis-py's connection pool (``socket_timeout``, ``max_connections``, ...)."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, location: str | list[str], params: CacheSettings) -> None:
        super().__init__(location, params)
        servers = re.split("[;,]", location) if isinstance(location, str) else list(location)
        self._servers = [server.strip() for server in servers if server.strip()]
        if not self._servers:
            self._servers = ["redis://127.0.0.1:6379/0"]
        self._options: dict[str, Any] = {
            **_DEFAULT_OPTIONS,
            **params.OPTIONS,
            "decode_responses": False,
        }
        self._clients: dict[int, redis.Redis] = {}
        self._async_clients: dict[tuple[int, int], redis.asyncio.Redis] = {}
        self._loops: dict[int, asyncio.AbstractEventLoop] = {}
        self._lock = threading.Lock()
        self._last_report: float | None = None
        """When the last warning about an unreachable server was logged (None: reachable)."""

    # -- clients ---------------------------------------------------------------------------
    def _server_index(self, write: bool) -> int:
        if write or len(self._servers) == 1:
            return 0
        return random.randint(1, len(self._servers) - 1)

    def client(self, write: bool = False) -> redis.Redis:
        """The redis-py client of the server for reading (or writing); thread-safe."""
        index = self._server_index(write)
        client = self._clients.get(index)
        if client is None:
            with self._lock:
                client = self._clients.get(index)
                if client is None:
                    client = redis.Redis.from_url(self._servers[index], **self._options)
                    self._clients[index] = client
        return client

    def async_client(self, write: bool = False) -> redis.asyncio.Redis:
        """The redis-py asyncio client of the running event loop (its connections belong to
        that loop)."""
        index = self._server_index(write)
        loop = asyncio.get_running_loop()
        key = (id(loop), index)
        client = self._async_clients.get(key)
        if client is None or self._loops.get(id(loop)) is not loop:
            self._forget_closed_loops()
            client = redis.asyncio.Redis.from_url(self._servers[index], **self._options)
            self._async_clients[key] = client
            self._loops[id(loop)] = loop
        return client

    def _forget_closed_loops(self) -> None:
        for loop_id, loop in list(self._loops.items()):
            if loop.is_closed():
                del self._loops[loop_id]
                for key in [key for key in self._async_clients if key[0] == loop_id]:
                    del self._async_clients[key]

    # -- one command, with the unreachable server turned into a fallback --------------------
    def _command(
        self, name: str, *args: object, fallback: object, write: bool = False, **kwargs: object
    ) -> Flow[Any]:
        try:
            result = yield _Command(self, write, name, args, kwargs)
        except _UNREACHABLE as exc:
            self._report_unreachable(exc)
            return fallback
        if self._last_report is not None:
            self._last_report = None
            logger.warning("Cache %s is reachable again.", self._describe())
        return result

    def _report_unreachable(self, exc: Exception) -> None:
        now = time.monotonic()
        last = self._last_report
        if last is None or now - last >= _REPORT_EVERY:
            self._last_report = now
            logger.warning(
                "Cache %s is unreachable (%s): reads miss and writes are dropped until it is back.",
                self._describe(),
                exc,
            )

    def _describe(self) -> str:
        return " ".join(_without_password(server) for server in self._servers)

    # -- the flows -------------------------------------------------------------------------
    def get_flow(self, key: str, default: object) -> Flow[object]:
        raw = yield from self._command("get", key, fallback=None)
        return default if raw is None else _loads(raw)

    def set_flow(self, key: str, value: object, expiry: Expiry) -> Flow[None]:
        if expiry is not None and expiry <= 0:
            yield from self._command("delete", key, fallback=0, write=True)
            return
        dumped = _dumps(value, self.pickle_protocol)
        px = None if expiry is None else _milliseconds(expiry)
        yield from self._command("set", key, dumped, px=px, fallback=None, write=True)

    def add_flow(self, key: str, value: object, expiry: Expiry) -> Flow[bool]:
        dumped = _dumps(value, self.pickle_protocol)
        if expiry is not None and expiry <= 0:
            # Added (nothing was there) but not kept, as a 0 timeout asks.
            added = yield from self._command("exists", key, fallback=1)
            return not added
        px = None if expiry is None else _milliseconds(expiry)
        stored = yield from self._command(
            "set", key, dumped, px=px, nx=True, fallback=None, write=True
        )
        return bool(stored)

    def touch_flow(self, key: str, expiry: Expiry) -> Flow[bool]:
        if expiry is None:
            # PERSIST answers 0 for a key without expiry too: ask whether the key exists.
            yield from self._command("persist", key, fallback=0, write=True)
            return bool((yield from self._command("exists", key, fallback=0)))
        if expiry <= 0:
            return bool((yield from self._command("delete", key, fallback=0, write=True)))
        milliseconds = _milliseconds(expiry)
        return bool(
            (yield from self._command("pexpire", key, milliseconds, fallback=0, write=True))
        )

    def delete_flow(self, key: str) -> Flow[bool]:
        return bool((yield from self._command("delete", key, fallback=0, write=True)))

    def has_key_flow(self, key: str) -> Flow[bool]:
        return bool((yield from self._command("exists", key, fallback=0)))

    def get_many_flow(self, keys: list[str]) -> Flow[dict[str, object]]:
        raws = yield from self._command("mget", keys, fallback=[None] * len(keys))
        return {key: _loads(raw) for key, raw in zip(keys, raws, strict=True) if raw is not None}

    def set_many_flow(self, data: dict[str, object], expiry: Expiry) -> Flow[list[str]]:
        if expiry is not None and expiry <= 0:
            yield from self.delete_many_flow(list(data))
            return []
        px = None if expiry is None else _milliseconds(expiry)
        commands = [
            ("set", (key, _dumps(value, self.pickle_protocol)), {"px": px})
            for key, value in data.items()
        ]
        results = yield from self._command("pipeline", commands, fallback=None, write=True)
        return list(data) if results is None else []

    def delete_many_flow(self, keys: list[str]) -> Flow[None]:
        if keys:
            yield from self._command("delete", *keys, fallback=0, write=True)

    def incr_flow(self, key: str, delta: int) -> Flow[int]:
        # INCRBY would create a missing key: only an existing one may be incremented.
        if not (yield from self._command("exists", key, fallback=0)):
            raise ValueError(f"Key {key!r} not found")
        value: int = yield from self._command("incrby", key, delta, fallback=0, write=True)
        return value

    def clear_flow(self) -> Flow[None]:
        yield from self._command("flushdb", fallback=None, write=True)

    def close_flow(self) -> Flow[None]:
        yield Call(self._disconnect, self._adisconnect)

    def _disconnect(self) -> None:
        for client in list(self._clients.values()):
            client.connection_pool.disconnect()

    async def _adisconnect(self) -> None:
        loop_id = id(asyncio.get_running_loop())
        for key in [key for key in self._async_clients if key[0] == loop_id]:
            await self._async_clients.pop(key).aclose()


class _Command:
    """One Redis command as a flow step: the sync client runs it, or the asyncio one.

    The name ``"pipeline"`` sends a list of ``(name, args, kwargs)`` commands in one round
    trip and answers the list of their results.
    """

    __slots__ = ("args", "cache", "kwargs", "name", "write")

    def __init__(
        self,
        cache: RedisCache,
        write: bool,
        name: str,
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> None:
        self.cache = cache
        self.write = write
        self.name = name
        self.args = args
        self.kwargs = kwargs

    def run(self) -> Any:
        return self._send(self.cache.client(self.write))

    def arun(self) -> Awaitable[Any]:
        result: Awaitable[Any] = self._send(self.cache.async_client(self.write))
        return result

    def _send(self, client: redis.Redis | redis.asyncio.Redis) -> Any:
        """Both clients have the same methods; the asyncio one's return awaitables."""
        if self.name == "pipeline":
            pipe = client.pipeline()
            commands: list[tuple[str, tuple[object, ...], dict[str, object]]]
            commands = self.args[0]  # type: ignore[assignment]  # the pipeline's own argument
            for name, args, kwargs in commands:
                getattr(pipe, name)(*args, **kwargs)  # buffered, in both clients
            return pipe.execute()
        return getattr(client, self.name)(*self.args, **self.kwargs)


def _without_password(url: str) -> str:
    """``url`` fit for a log line: a password in it is masked."""
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)
