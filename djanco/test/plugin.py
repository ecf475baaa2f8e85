"""The ``djanco`` pytest plugin: ``client``, ``async_client`` and ``settings`` fixtures.

Registered as a ``pytest11`` entry point, so it loads in every pytest run where Djanco is
installed. When the run finds a project's settings (``DJANCO_SETTINGS``, possibly set by a
top-level ``conftest.py``, or ``[tool.djanco]`` in ``pyproject.toml``), Djanco is set up before
the tests are collected, as pytest-django does, so test modules may use models, ``apps`` and
``reverse()`` at import time and in tests without fixtures. Runs without a project are left
alone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

# Djanco itself is imported only when a fixture runs, so a broken or absent project never
# affects pytest runs that do not use these fixtures.
if TYPE_CHECKING:
    from djanco.conf import Settings
    from djanco.test.client import AsyncClient, Client

_TEST_HOST = "testserver"


def _setup() -> Settings:
    """Set Djanco up (once) and let the test client's host through ALLOWED_HOSTS."""
    import djanco
    from djanco.conf import find_settings_module, is_configured, settings

    if not is_configured() and find_settings_module() is None:
        pytest.fail(
            "No Djanco settings found for this test: set DJANCO_SETTINGS (for example in "
            'conftest.py) or add [tool.djanco] settings = "mysite.settings" to pyproject.toml.',
            pytrace=False,
        )
    djanco.setup()
    hosts = settings.ALLOWED_HOSTS
    if _TEST_HOST not in hosts and "*" not in hosts:
        settings.ALLOWED_HOSTS = [*hosts, _TEST_HOST]
    return settings


def pytest_configure(config: pytest.Config) -> None:
    """Set Djanco up before collection when this run has a project's settings to find."""
    from djanco.conf import find_settings_module, is_configured
    from djanco.core.exceptions import ImproperlyConfigured

    if is_configured() or find_settings_module() is not None:
        import djanco

        try:
            djanco.setup()
        except ImproperlyConfigured as exc:  # one clear message instead of an INTERNALERROR
            raise pytest.UsageError(f"Djanco could not start: {exc}") from exc


@pytest.fixture
def settings() -> Iterator[Settings]:
    """The live settings; every change made during the test is undone after it.

    Assignments are validated and reset caches that depend on them (URLs, templates,
    middleware), in the test and again when they are undone.
    """
    from djanco.conf import Settings

    live = _setup()
    saved = {name: copy.deepcopy(getattr(live, name)) for name in Settings.model_fields}
    yield live
    for name, value in saved.items():
        if getattr(live, name) != value:
            setattr(live, name, value)


@pytest.fixture
def client() -> Iterator[Client]:
    """A :class:`djanco.test.Client` for the project's app; cookies persist within a test."""
    from djanco.test.client import Client

    _setup()
    with Client() as test_client:
        yield test_client


@pytest.fixture
def async_client() -> AsyncClient:
    """A :class:`djanco.test.AsyncClient` for the project's app (``await async_client.get(…)``)."""
    from djanco.test.client import AsyncClient

    _setup()
    return AsyncClient()
