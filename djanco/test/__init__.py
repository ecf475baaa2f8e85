"""Test support: the sync ``Client`` and ``AsyncClient``, counting queries, and the pytest
plugin's fixtures (``djanco.test.plugin``)."""

from __future__ import annotations

from djanco.db.backends.debug import CapturedQueries, assert_num_queries, capture_queries
from djanco.test.client import AsyncClient, Client

__all__ = ["AsyncClient", "CapturedQueries", "Client", "assert_num_queries", "capture_queries"]
