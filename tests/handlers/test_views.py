"""Requests reach sync and async views, with their URL arguments, without blocking the loop."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from djanco.asgi import get_asgi_app
from tests.handlers import urls
from tests.handlers.support import SetSettings


async def test_async_view_runs_on_the_event_loop(aclient: httpx.AsyncClient) -> None:
    urls.view_threads.clear()
    response = await aclient.get("/async/")
    assert response.status_code == 200
    assert response.text == "hello from async def"
    assert urls.view_threads == [threading.current_thread().name]


async def test_sync_view_runs_in_a_worker_thread(aclient: httpx.AsyncClient) -> None:
    urls.view_threads.clear()
    response = await aclient.get("/sync/")
    assert response.status_code == 200
    assert response.text == "hello from def"
    assert urls.view_threads != [threading.current_thread().name]


async def test_url_arguments_are_converted(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/items/42/")
    assert response.text == "item 42 (int)"


async def test_slow_sync_view_does_not_block_other_requests(aclient: httpx.AsyncClient) -> None:
    urls.slow_view_started.clear()
    slow = asyncio.create_task(aclient.get("/slow/"))
    while not urls.slow_view_started.is_set():
        await asyncio.sleep(0.005)
    fast = await aclient.get("/fast/")
    assert fast.text == "fast"
    assert not slow.done(), "the async request had to wait for the sleeping sync view"
    assert (await slow).text == "slow"


async def test_wrong_method_is_405_with_allow(aclient: httpx.AsyncClient) -> None:
    response = await aclient.post("/only-get/")
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS"} <= allowed
    assert "POST" not in allowed


async def test_json_body_is_parsed(aclient: httpx.AsyncClient) -> None:
    response = await aclient.post("/echo/", json={"a": [1, 2]})
    assert response.json() == {"got": {"a": [1, 2]}}


async def test_malformed_json_is_400_with_its_message(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(DEBUG=False)
    response = await aclient.post(
        "/echo/", content=b'{"a": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "Malformed JSON body" in response.text


async def test_malformed_json_with_debug_shows_the_message(aclient: httpx.AsyncClient) -> None:
    response = await aclient.post("/echo/", content=b"not json")
    assert response.status_code == 400
    assert "Malformed JSON body: Expecting value" in response.text


async def test_template_response_is_rendered_by_the_handler(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    from djanco.conf import TemplateSettings
    from tests.settings import BASE_DIR

    set_settings(TEMPLATES=TemplateSettings(DIRS=[BASE_DIR / "handlers" / "templates"]))
    response = await aclient.get("/template/")
    assert response.status_code == 200
    assert response.text.strip() == "<p>Hello, &lt;Ada&gt;!</p>"


async def test_streaming_response_is_streamed(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/stream/")
    assert response.text == "chunk 0;chunk 1;chunk 2;"


async def test_view_returning_none_is_a_500_naming_the_view(
    aclient: httpx.AsyncClient,
) -> None:
    response = await aclient.get("/none/")
    assert response.status_code == 500
    assert (
        "The view tests.handlers.urls.returns_none didn&#x27;t return an HttpResponse object. "
        "It returned None instead." in response.text
    )


async def test_sync_view_returning_a_coroutine_says_to_await(
    aclient: httpx.AsyncClient,
) -> None:
    response = await aclient.get("/forgot-await/")
    assert response.status_code == 500
    assert "returned an unawaited coroutine instead" in response.text


async def test_setting_change_rebuilds_the_chain(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    assert "x-frame-options" in (await aclient.get("/sync/")).headers
    set_settings(MIDDLEWARE=[])
    assert "x-frame-options" not in (await aclient.get("/sync/")).headers


async def test_lifespan_startup_and_shutdown_complete() -> None:
    app = get_asgi_app()
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[object] = []

    async def receive() -> dict[str, object]:
        return incoming.pop(0)

    async def send(message: object) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    assert sent == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]


async def test_websocket_is_refused_politely() -> None:
    app = get_asgi_app()
    sent: list[object] = []

    async def receive() -> dict[str, object]:
        return {"type": "websocket.connect"}

    async def send(message: object) -> None:
        sent.append(message)

    await app({"type": "websocket", "path": "/ws", "headers": []}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1000}]


async def test_lifespan_shutdown_closes_database_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from djanco.db import connections

    closed: list[str] = []

    async def aclose_all() -> None:
        closed.append("async")

    monkeypatch.setattr(connections, "aclose_all", aclose_all)
    monkeypatch.setattr(connections, "close_all", lambda: closed.append("sync"))
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

    async def receive() -> dict[str, object]:
        return incoming.pop(0)

    async def send(message: object) -> None:
        pass

    await get_asgi_app()({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    assert closed == ["async", "sync"]
