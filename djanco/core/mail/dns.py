"""This machine's name as mail knows it (HELO and Message-ID), looked up once."""

from __future__ import annotations

import socket
from functools import cache

__all__ = ["dns_name"]


@cache
def dns_name() -> str:
    """The fully qualified domain name (the lookup can be slow, hence cached)."""
    return socket.getfqdn()
