"""The plugin's fixtures that run on a test's event loop; registered when pytest-asyncio is."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio


@pytest_asyncio.fixture
async def _djanco_close_async_pools() -> AsyncIterator[None]:
    """Closes the async connections an async ``transactional_db`` test opened, on its own
    event loop (after the tables are emptied), so none outlives the loop."""
    yield
    # Imported here, as in the plugin, so that pytest runs without a project never load Djanco.
    from djanco.db import connections

    await connections.aclose_all()
