"""MIDDLEWARE builds a chain: first entry outermost, sync layers in threads, hooks, errors."""

from __future__ import annotations

import httpx
import pytest

from djanco.asgi import get_asgi_app
from djanco.core.exceptions import ImproperlyConfigured
from tests.handlers.support import SetSettings

L = "tests.middleware.layers."


async def test_first_entry_is_outermost(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "First", L + "Second"])
    response = await aclient.get("/trail/1/")
    assert response.text == "first,second"  # on the way in: first, then second
    assert response.headers["x-trail"] == "second,first"  # on the way out: the reverse


async def test_sync_middleware_runs_in_a_thread(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "First", L + "SyncLayer", L + "Second"])
    response = await aclient.get("/trail/1/")
    assert response.text == "first,sync-in-main-thread=False,second"
    assert response.headers["x-trail"] == "second,sync,first"


async def test_function_factories_sync_and_async(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "function_layer", L + "async_function_layer"])
    response = await aclient.get("/trail/1/")
    assert response.status_code == 200
    assert response.headers["x-trail"] == "async-function,function"


async def test_django_middleware_mode_decorators(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    # djanco.utils.decorators mirrors django.utils.decorators: the chain is async, so a
    # sync_and_async factory is given an async get_response; a sync_only one a blocking one.
    set_settings(MIDDLEWARE=[L + "dual_layer", L + "sync_only_layer"])
    response = await aclient.get("/trail/1/")
    assert response.status_code == 200
    assert response.headers["x-trail"] == "sync-only-in-main=False,dual-async"


async def test_middleware_not_used_is_left_out(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "First", L + "Unused"])
    response = await aclient.get("/trail/1/")
    assert response.headers["x-trail"] == "first"


async def test_exception_in_middleware_becomes_a_response_for_outer_layers(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "First", L + "Raises"], DEBUG=False)
    response = await aclient.get("/trail/1/")
    assert response.status_code == 500
    assert response.headers["x-trail"] == "first"  # First saw a 500 response, not an exception


async def test_view_exception_becomes_a_response_inside_the_chain(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "First"])
    response = await aclient.get("/nowhere/")
    assert response.status_code == 404
    assert response.headers["x-trail"] == "first"


async def test_process_view_can_answer_instead_of_the_view(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "ShortCircuitView"])
    response = await aclient.get("/trail/7/", headers={"X-Short-Circuit": "1"})
    assert response.text == "skipped trail {'pk': 7}"
    assert (await aclient.get("/trail/7/")).text == ""


async def test_sync_process_view_hook(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "SyncHooks"])
    assert (await aclient.get("/trail/1/")).text == "sync-process-view"


async def test_process_exception_can_handle_view_errors(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[L + "HandleValueError"])
    response = await aclient.get("/value-error/")
    assert response.status_code == 409
    assert response.text == "handled: bad value"
    assert (await aclient.get("/nowhere/")).status_code == 404  # other errors pass through


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("tests.middleware.no_such_module.Thing", "MIDDLEWARE entry "),
        (L + "Missing", "has no attribute 'Missing'"),
        ("NoDots", "is not a dotted path"),
        (L + "NOT_CALLABLE", "is not callable"),
        (L + "AsyncMarkedSync", "is marked sync-only but its __call__ is async"),
        (L + "SyncCallOnAsyncClass", "was given an async get_response, but its __call__ is sync"),
    ],
)
def test_bad_middleware_fails_at_startup(
    set_settings: SetSettings, entry: str, message: str
) -> None:
    set_settings(MIDDLEWARE=[entry])
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        get_asgi_app()
    assert entry.rpartition(".")[2] in str(caught.value) or "NoDots" in str(caught.value)


async def test_bad_middleware_set_later_gives_a_500_page(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    await aclient.get("/trail/1/")
    set_settings(MIDDLEWARE=[L + "Missing"])
    response = await aclient.get("/trail/1/")
    assert response.status_code == 500
    assert "has no attribute" in response.text
