"""Response headers that tell caches how a response may be reused (Django's names)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Headers(Protocol):
    """What a response offers to read and set a header (Django's and Djanco's responses)."""

    def get(self, header: str, alternate: str | None = None) -> str | None: ...
    def __setitem__(self, header: str, value: str) -> None: ...


def patch_vary_headers(response: _Headers, newheaders: Iterable[str]) -> None:
    """Add ``newheaders`` to the response's ``Vary`` header, keeping those already there.

    A response whose content depends on a request header (a cookie, the accepted encoding)
    must say so, or a shared cache may serve one client's version to another.
    """
    existing = response.get("Vary")
    names = [name.strip() for name in existing.split(",")] if existing else []
    if "*" in names:
        return
    present = {name.lower() for name in names}
    for name in newheaders:
        if name.lower() not in present:
            names.append(name)
            present.add(name.lower())
    response["Vary"] = ", ".join(name for name in names if name)
