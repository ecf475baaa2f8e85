"""Static checks of the cache API and the cache decorators (mypy and pyright).

Never run: the checkers read it.
"""

from __future__ import annotations

from typing import assert_type

from djanco.core.cache import BaseCache, cache, caches
from djanco.http import HttpRequest, HttpResponse
from djanco.views.decorators.cache import cache_page, never_cache
from djanco.views.decorators.vary import vary_on_cookie, vary_on_headers


async def cache_api() -> None:
    assert_type(caches["default"], BaseCache)
    assert_type(cache.get("k"), object)
    assert_type(await cache.aget("k", "default"), object)
    assert_type(cache.get_or_set("count", 0), int)
    assert_type(await cache.aget_or_set("names", lambda: ["a"]), list[str])
    assert_type(cache.add("k", 1, timeout=None), bool)
    assert_type(await cache.aincr("count"), int)
    assert_type(cache.get_many(["a", "b"]), dict[str, object])
    assert_type(cache.set_many({"a": 1}, timeout=30), list[str])
    cache.set("k", 1, timeout="30")  # type: ignore[arg-type]


@cache_page(60)
@vary_on_cookie
def page(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


@cache_page(60, cache="pages")
@vary_on_headers("Accept-Language")
async def async_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hi")


@never_cache
def fresh(request: HttpRequest) -> HttpResponse:
    return HttpResponse("now")


async def decorated_views(request: HttpRequest) -> None:
    assert_type(page(request, "about"), HttpResponse)
    assert_type(await async_page(request), HttpResponse)
    assert_type(fresh(request), HttpResponse)
    page(request, 3)  # type: ignore[arg-type]
