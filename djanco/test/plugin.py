"""The ``djanco`` pytest plugin: ``db``, ``transactional_db``, ``client``, ``async_client`` and
``settings`` fixtures, and the ``db`` marker. Mail goes to ``djanco.core.mail.outbox`` (the
local-memory email backend), emptied before each test.

Registered as a ``pytest11`` entry point, so it loads in every pytest run where Djanco is
installed; ``pip install 'djanco[test]'`` brings pytest, and pytest-asyncio, which async tests
need (the rest of the plugin works without it). When the run finds a project's settings
(``DJANCO_SETTINGS``, possibly set by a top-level ``conftest.py``, or ``[tool.djanco]`` in
``pyproject.toml``), Djanco is set up before the tests are collected, as pytest-django does, so
test modules may use models, ``apps`` and ``reverse()`` at import time and in tests without
fixtures. Runs without a project are left alone.

Database access needs the ``db`` fixture (each test in a transaction rolled back at its end),
``transactional_db`` (for code that commits; the tables are emptied afterwards) or
``@pytest.mark.db`` / ``@pytest.mark.db(transaction=True)``. The first such test creates the
run's test databases (see ``djanco.test.database``); other tests get a clear error instead of
touching the development database.
"""

from __future__ import annotations

import copy
import importlib.util
import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

# Djanco itself is imported only when a fixture runs, so a broken or absent project never
# affects pytest runs that do not use these fixtures.
if TYPE_CHECKING:
    from djanco.conf import Settings
    from djanco.test.client import AsyncClient, Client

_TEST_HOST = "testserver"
_project_found = False
_BLOCKED = (
    "Database access not allowed: this test did not ask for a database. Give it the 'db' "
    "fixture (rolled back after the test), 'transactional_db' (commits; tables emptied "
    "afterwards), or mark it with @pytest.mark.db."
)
_INSTALL_TEST_EXTRA = "pip install 'djanco[test]'"
_LOCMEM_EMAIL_BACKEND = "djanco.core.mail.backends.locmem.EmailBackend"


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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("djanco")
    group.addoption(
        "--no-migrations",
        "--nomigrations",
        action="store_true",
        dest="djanco_no_migrations",
        help="Create the test databases straight from the models instead of running the "
        "migrations (faster; data migrations do not run).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Set Djanco up before collection when this run has a project's settings to find."""
    global _project_found
    from djanco.conf import find_settings_module, is_configured
    from djanco.core.exceptions import ImproperlyConfigured

    config.addinivalue_line(
        "markers",
        "db(transaction=False): the test uses the test database (the 'db' fixture; with "
        "transaction=True the 'transactional_db' fixture)",
    )
    if importlib.util.find_spec("pytest_asyncio") is not None:
        config.pluginmanager.import_plugin("djanco.test._async_fixtures")
    if is_configured() or find_settings_module() is not None:
        _project_found = True
        import djanco

        try:
            djanco.setup()
        except ImproperlyConfigured as exc:  # one clear message instead of an INTERNALERROR
            raise pytest.UsageError(f"Djanco could not start: {exc}") from exc
        # As Django's test runner: mail sent by tests lands in djanco.core.mail.outbox.
        from djanco.conf import settings

        settings.EMAIL_BACKEND = _LOCMEM_EMAIL_BACKEND


@pytest.fixture(scope="session")
def djanco_db_setup(request: pytest.FixtureRequest) -> Iterator[None]:
    """Creates the run's test databases (on first use) and drops them at the end of the run."""
    from djanco.test.database import TestDatabases

    _setup()
    databases = TestDatabases(migrate=not request.config.getoption("djanco_no_migrations"))
    databases.setup()
    try:
        yield
    finally:
        databases.teardown()


@pytest.fixture
def db(djanco_db_setup: None) -> Iterator[None]:
    """Database access for one test, inside a transaction rolled back at its end.

    Sync and async code of the test, and the views it calls through ``client`` or
    ``async_client``, share that transaction, so each sees the others' rows. ``atomic()``
    blocks become savepoints; ``on_commit`` callbacks never run.
    """
    from djanco.db import connections
    from djanco.db.backends.testing import begin_test_transaction, end_test_transaction

    opened = [(w, begin_test_transaction(w, bridge_async=True)) for w in connections.all()]
    try:
        yield
    finally:
        for wrapper, state in reversed(opened):
            end_test_transaction(wrapper, state)


@pytest.fixture
def transactional_db(request: pytest.FixtureRequest, djanco_db_setup: None) -> Iterator[None]:
    """Database access for code that really commits; every table is emptied afterwards."""
    from djanco.db import connections
    from djanco.test.database import flush

    if inspect.iscoroutinefunction(getattr(request, "function", None)):
        if importlib.util.find_spec("pytest_asyncio") is None:
            pytest.fail(f"Async tests need pytest-asyncio: {_INSTALL_TEST_EXTRA}", pytrace=False)
        request.getfixturevalue("_djanco_close_async_pools")
    try:
        yield
    finally:
        for wrapper in connections.all():
            flush(wrapper)


@pytest.fixture(autouse=True)
def _djanco_db_access(request: pytest.FixtureRequest) -> Iterator[None]:
    """Gives marked tests their database; refuses database access to tests without one."""
    if not _project_found:
        yield
        return
    marker = request.node.get_closest_marker("db")
    if marker is not None:
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    if marker is not None or {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    from djanco.db import connections

    connections.block(_BLOCKED)
    try:
        yield
    finally:
        connections.unblock()


@pytest.fixture(autouse=True)
def _djanco_mail_outbox() -> None:
    """Each test starts with an empty ``djanco.core.mail.outbox``."""
    if _project_found:
        from djanco.core.mail import outbox

        outbox.clear()


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
