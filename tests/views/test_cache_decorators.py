"""cache_page, vary_on_headers/vary_on_cookie, cache_control and never_cache on ``def`` and
``async def`` views."""

from __future__ import annotations

import asyncio
import inspect
import itertools
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from djanco.conf import CacheSettings
from djanco.core.cache import caches
from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.shortcuts import render
from djanco.views.decorators.cache import cache_control, cache_page, get_cache_key, never_cache
from djanco.views.decorators.vary import vary_on_cookie, vary_on_headers
from tests.http.factory import make_request, override_settings
from tests.private_servers import PrivateRedis

LOCMEM = "djanco.core.cache.backends.locmem.LocMemCache"
_stores = itertools.count()


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Empty local-memory caches of the test's own ("default" and "pages")."""
    n = next(_stores)
    with override_settings(
        CACHES={
            "default": CacheSettings(BACKEND=LOCMEM, LOCATION=f"views-{n}"),
            "pages": CacheSettings(BACKEND=LOCMEM, LOCATION=f"views-pages-{n}"),
        }
    ):
        yield


def get(path: str = "/page/", *headers: tuple[str, str], method: str = "GET") -> HttpRequest:
    return make_request(method, path, headers=(("host", "testserver"), *headers))


class Counter:
    """A view body that counts its calls, so a test sees whether the view ran."""

    def __init__(self) -> None:
        self.calls = 0

    def response(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        language = request.headers.get("accept-language", "")
        return HttpResponse(f"call {self.calls} {language}")


Call = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


@pytest.fixture(params=["def", "async def"])
def decorate(request: pytest.FixtureRequest) -> Callable[..., Call]:
    """Decorate a view body as a ``def`` or an ``async def`` view; call it as ``await view(r)``
    (a sync view in a worker thread, as the handler runs it)."""

    def build(body: Callable[[HttpRequest], HttpResponse], *decorators: object) -> Call:
        if request.param == "def":

            def view(request: HttpRequest) -> HttpResponse:
                return body(request)

        else:

            async def view(request: HttpRequest) -> HttpResponse:  # type: ignore[misc]
                return body(request)

        decorated: Callable[..., object] = view
        for decorator in reversed(decorators):
            decorated = decorator(decorated)  # type: ignore[operator]
        assert inspect.iscoroutinefunction(decorated) == (request.param == "async def")

        async def call(request: HttpRequest) -> HttpResponseBase:
            if inspect.iscoroutinefunction(decorated):
                result = await decorated(request)
            else:  # in a worker thread, as the handler runs a sync view
                result = await asyncio.to_thread(decorated, request)
            assert isinstance(result, HttpResponseBase)
            return result

        return call

    return build


async def test_a_page_is_served_from_the_cache(decorate: Callable[..., Call]) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60))

    first = await view(get())
    second = await view(get())

    assert counter.calls == 1
    assert first.content == second.content == b"call 1 "
    assert second["Cache-Control"] == "max-age=60"
    assert "Expires" in second
    assert int(second["Age"]) <= 60


async def test_other_urls_and_methods_are_not_served_the_page(
    decorate: Callable[..., Call],
) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60))

    await view(get("/page/"))
    await view(get("/page/?sort=name"))
    post = await view(get("/page/", method="POST"))

    assert counter.calls == 3
    assert "Cache-Control" not in post


async def test_head_is_served_the_cached_get(decorate: Callable[..., Call]) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60))

    await view(get())
    head = await view(get(method="HEAD"))

    assert counter.calls == 1
    assert head.status_code == 200


async def test_pages_vary_on_the_headers_named_in_vary(decorate: Callable[..., Call]) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60), vary_on_headers("Accept-Language"))

    english = await view(get("/page/", ("accept-language", "en")))
    french = await view(get("/page/", ("accept-language", "fr")))
    english_again = await view(get("/page/", ("accept-language", "en")))

    assert counter.calls == 2
    assert english.content == english_again.content == b"call 1 en"
    assert french.content == b"call 2 fr"
    assert english_again["Vary"] == "Accept-Language"


async def test_vary_on_cookie_keeps_visitors_pages_apart(decorate: Callable[..., Call]) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60), vary_on_cookie)

    alice = await view(get("/page/", ("cookie", "sessionid=alice")))
    bob = await view(get("/page/", ("cookie", "sessionid=bob")))
    alice_again = await view(get("/page/", ("cookie", "sessionid=alice")))

    assert counter.calls == 2
    assert alice.content == alice_again.content != bob.content
    assert alice["Vary"] == "Cookie"


async def test_a_cookie_set_for_a_new_visitor_is_never_cached(
    decorate: Callable[..., Call],
) -> None:
    counter = Counter()

    def sets_session(request: HttpRequest) -> HttpResponse:
        response = counter.response(request)
        response.set_cookie("sessionid", f"secret-{counter.calls}")
        return response

    view = decorate(sets_session, cache_page(60), vary_on_cookie)

    await view(get())
    second = await view(get())

    assert counter.calls == 2
    assert "secret-2" in second["set-cookie"]


@pytest.mark.parametrize(
    ("status", "cache_control_header"), [(404, None), (200, "private"), (200, "no-store, private")]
)
async def test_errors_and_private_pages_are_not_cached(
    decorate: Callable[..., Call], status: int, cache_control_header: str | None
) -> None:
    counter = Counter()

    def answer(request: HttpRequest) -> HttpResponse:
        response = counter.response(request)
        response.status_code = status
        if cache_control_header:
            response["Cache-Control"] = cache_control_header
        return response

    view = decorate(answer, cache_page(60))

    await view(get())
    await view(get())

    assert counter.calls == 2


async def test_a_smaller_max_age_of_the_view_is_kept(decorate: Callable[..., Call]) -> None:
    view = decorate(Counter().response, cache_page(600), cache_control(max_age=30, public=True))

    response = await view(get())

    assert response["Cache-Control"] == "max-age=30, public"


async def test_the_cache_alias_and_key_prefix(decorate: Callable[..., Call]) -> None:
    counter = Counter()
    view = decorate(counter.response, cache_page(60, cache="pages", key_prefix="site1"))

    await view(get())

    pages = caches["pages"]
    key = get_cache_key(get(), key_prefix="site1", cache=pages)
    assert key is not None and ".site1.GET." in key
    stored = pages.get(key)
    assert isinstance(stored, tuple) and stored[2] == b"call 1 "
    assert get_cache_key(get(), cache=caches["default"]) is None


async def test_template_responses_are_rendered_then_cached(
    decorate: Callable[..., Call], view_templates: Path
) -> None:
    calls: list[int] = []

    def page(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return render(request, "hello.html", {"name": f"visitor {len(calls)}"})

    view = decorate(page, cache_page(60))

    first = await view(get())
    second = await view(get())

    assert len(calls) == 1
    assert b"visitor 1" in first.content
    assert second.content == first.content


async def test_a_redis_that_is_down_still_serves_pages(decorate: Callable[..., Call]) -> None:
    server = PrivateRedis()
    server.start()
    redis_cache = "djanco.core.cache.backends.redis.RedisCache"
    try:
        with override_settings(
            CACHES={"default": CacheSettings(BACKEND=redis_cache, LOCATION=server.url)}
        ):
            counter = Counter()
            view = decorate(counter.response, cache_page(60))
            assert (await view(get())).content == b"call 1 "
            assert (await view(get())).content == b"call 1 "  # cached in Redis

            server.stop()
            during = await view(get())

            assert during.status_code == 200
            assert during.content == b"call 2 "  # a miss: the view ran again
    finally:
        server.destroy()


async def test_never_cache(decorate: Callable[..., Call]) -> None:
    view = decorate(Counter().response, never_cache)

    response = await view(get())

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Expires" in response


def test_the_decorated_view_keeps_its_name() -> None:
    @cache_page(10)
    @vary_on_cookie
    def profile(request: HttpRequest) -> HttpResponse:
        """A user's profile."""
        return HttpResponse("me")

    assert profile.__name__ == "profile"
    assert profile.__doc__ == "A user's profile."
