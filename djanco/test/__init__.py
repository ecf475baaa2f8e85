"""Test support: the sync ``Client`` and ``AsyncClient`` and the pytest plugin's fixtures."""

from __future__ import annotations

from djanco.test.client import AsyncClient, Client

__all__ = ["AsyncClient", "Client"]
