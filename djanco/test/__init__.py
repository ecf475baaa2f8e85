"""Test support: the sync ``Client`` and ``AsyncClient``, counting queries, and the pytest
plugin's fixtures (``djanco.test.plugin``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.db.backends.debug import CapturedQueries, assert_num_queries, capture_queries

if TYPE_CHECKING:
    from djanco.test.client import AsyncClient, Client

__all__ = ["AsyncClient", "CapturedQueries", "Client", "assert_num_queries", "capture_queries"]


def __getattr__(name: str) -> object:
    # The clients need httpx (the "test" extra). They are imported on first use so that the
    # pytest plugin, which lives in this package, loads where only pytest is installed.
    if name in {"AsyncClient", "Client"}:
        from djanco.test import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
