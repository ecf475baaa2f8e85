"""Fixtures shared by the handler, middleware and checks tests (imported by their conftests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from djanco.asgi import get_asgi_app
from djanco.conf import settings

SetSettings = Callable[..., None]


@pytest.fixture
def set_settings() -> Iterator[SetSettings]:
    """``set_settings(DEBUG=False, ...)`` assigns settings for this test; all are restored."""
    saved: list[tuple[str, object]] = []

    def assign(**values: object) -> None:
        for name, value in values.items():
            saved.append((name, getattr(settings, name)))
            setattr(settings, name, value)

    yield assign
    for name, value in reversed(saved):
        setattr(settings, name, value)


@pytest.fixture
async def aclient() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a fresh ``get_asgi_app()`` as http://testserver."""
    transport = httpx.ASGITransport(app=get_asgi_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
