"""Checks tests change settings per test with ``set_settings``."""

from __future__ import annotations

from tests.handlers.support import set_settings

__all__ = ["set_settings"]
