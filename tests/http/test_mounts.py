"""register_mount(): an app answers every request under a prefix with an ASGI app of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from djanco.conf import settings
from djanco.http import Mount, register_mount
from djanco.http import mounts as mounts_module
from djanco.test import Client
from tests.http.factory import override_settings


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(f"mounted: {scope['path']}")(scope, receive, send)


async def inner(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("inner")(scope, receive, send)


@pytest.fixture(autouse=True)
def _forget_mounts() -> Iterator[None]:
    saved = dict(mounts_module._factories)
    yield
    mounts_module._factories.clear()
    mounts_module._factories.update(saved)
    mounts_module._mounts = None


def test_requests_under_the_prefix_go_to_the_mounted_app(client: Client) -> None:
    register_mount("hello", lambda: Mount("/hello/", hello))

    assert client.get("/hello/a/b").text == "mounted: /hello/a/b"
    assert client.get("/hellothere").status_code == 404  # the views answer the rest


def test_the_longest_prefix_wins_and_none_mounts_nothing(client: Client) -> None:
    register_mount("outer", lambda: Mount("/hello/", hello))
    register_mount("inner", lambda: Mount("/hello/inner/", inner))
    register_mount("nothing", lambda: None)

    assert client.get("/hello/inner/x").text == "inner"
    assert client.get("/hello/x").text == "mounted: /hello/x"


def test_the_factory_runs_again_after_a_setting_changes(client: Client) -> None:
    register_mount("debug-only", lambda: Mount("/debug/", hello) if settings.DEBUG else None)

    with override_settings(DEBUG=True):
        assert client.get("/debug/x").status_code == 200
    with override_settings(DEBUG=False):
        assert client.get("/debug/x").status_code == 404


def test_registering_a_name_again_replaces_its_factory(client: Client) -> None:
    register_mount("hello", lambda: Mount("/hello/", hello))
    register_mount("hello", lambda: Mount("/hello/", inner))

    assert client.get("/hello/").text == "inner"


@pytest.mark.parametrize("prefix", ["hello/", "/hello", ""])
def test_a_prefix_starts_and_ends_with_a_slash(prefix: str) -> None:
    with pytest.raises(ValueError, match="starts and ends with '/'"):
        Mount(prefix, hello)
