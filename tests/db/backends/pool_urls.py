"""Views for the pool tests: each answers with the id of the database session that served it."""

from __future__ import annotations

from djanco.db import DatabaseWrapper, connections
from djanco.http import HttpRequest, HttpResponse
from djanco.urls import path

ALIAS = "pooled"

# The server's id of the session running the statement, after a short sleep so that
# concurrent requests overlap and have to wait for a pooled connection.
_SESSION = {
    "postgresql": "SELECT pg_backend_pid(), pg_sleep(0.002)",
    "mysql": "SELECT CONNECTION_ID(), SLEEP(0.002)",
    # SQLite has no server session: a TEMP table lives and dies with its connection.
    "sqlite": "SELECT id FROM temp.djanco_session",
}
_SQLITE_SESSION = "CREATE TEMP TABLE IF NOT EXISTS djanco_session AS SELECT abs(random()) AS id"


def session_of(wrapper: DatabaseWrapper) -> object:
    if wrapper.vendor != "sqlite":
        return wrapper.scalar(_SESSION[wrapper.vendor])
    state = wrapper.tx_begin()  # one connection for both statements
    try:
        wrapper.execute(_SQLITE_SESSION)
        return wrapper.scalar(_SESSION["sqlite"])
    finally:
        wrapper.tx_end(state, commit=True)


async def asession_of(wrapper: DatabaseWrapper) -> object:
    if wrapper.vendor != "sqlite":
        return await wrapper.ascalar(_SESSION[wrapper.vendor])
    state = await wrapper.atx_begin()
    try:
        await wrapper.aexecute(_SQLITE_SESSION)
        return await wrapper.ascalar(_SESSION["sqlite"])
    finally:
        await wrapper.atx_end(state, commit=True)


def sync_session(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(session_of(connections[ALIAS])))


async def async_session(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(await asession_of(connections[ALIAS])))


urlpatterns = [path("sync/", sync_session), path("async/", async_session)]
