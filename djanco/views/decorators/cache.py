"""Caching whole views: ``cache_page``, with Django's keys (learned from ``Vary``), and the
``cache_control`` and ``never_cache`` header decorators.

A page is stored per absolute URL, method and the values of the request headers its
response's ``Vary`` names: the header names are learned per URL on the first store
(``learn_cache_key``) and looked up before the view runs (``get_cache_key``). The lookup and
the store are flows, so ``def`` views use the sync cache API and ``async def`` views the
async one from the same code.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Concatenate, ParamSpec, TypeVar, overload

from djanco.conf import settings
from djanco.core.cache import BaseCache, caches
from djanco.http.request import HttpRequest
from djanco.http.response import HttpResponse, HttpResponseBase
from djanco.templates.response import TemplateResponse
from djanco.utils.cache import (
    add_never_cache_headers,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
    vary_headers,
)
from djanco.utils.flow import Call, Flow, arun, run
from djanco.views.decorators._patch import patching_response

__all__ = [
    "aget_cache_key",
    "alearn_cache_key",
    "cache_control",
    "cache_page",
    "get_cache_key",
    "learn_cache_key",
    "never_cache",
]

_P = ParamSpec("_P")
_Req = TypeVar("_Req", bound=HttpRequest)
_Resp = TypeVar("_Resp", bound=HttpResponseBase)
_View = TypeVar("_View", bound=Callable[..., object])

_StoredPage = tuple[int, list[tuple[bytes, bytes]], bytes]
"""A cached response: status, raw headers, body."""


# -- keys ------------------------------------------------------------------------------------
def _url_hash(request: HttpRequest) -> str:
    return hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()


def _page_key(request: HttpRequest, method: str, header_names: list[str], key_prefix: str) -> str:
    values = hashlib.md5(usedforsecurity=False)
    for name in header_names:
        value = request.headers.get(name)
        if value is not None:
            values.update(value.encode())
    return (
        f"views.decorators.cache.cache_page.{key_prefix}.{method}."
        f"{_url_hash(request)}.{values.hexdigest()}"
    )


def _header_list_key(request: HttpRequest, key_prefix: str) -> str:
    return f"views.decorators.cache.cache_header.{key_prefix}.{_url_hash(request)}"


def _cache_and_prefix(cache: BaseCache | None, key_prefix: str | None) -> tuple[BaseCache, str]:
    return (
        caches[settings.CACHE_MIDDLEWARE_ALIAS] if cache is None else cache,
        settings.CACHE_MIDDLEWARE_KEY_PREFIX if key_prefix is None else key_prefix,
    )


def _get_cache_key(
    request: HttpRequest, key_prefix: str | None, method: str, cache: BaseCache | None
) -> Flow[str | None]:
    cache, key_prefix = _cache_and_prefix(cache, key_prefix)
    header_names = yield Call(cache.get, cache.aget, _header_list_key(request, key_prefix))
    if not isinstance(header_names, list):
        return None
    return _page_key(request, method, header_names, key_prefix)


def _learn_cache_key(
    request: HttpRequest,
    response: HttpResponseBase,
    cache_timeout: float | None,
    key_prefix: str | None,
    cache: BaseCache | None,
) -> Flow[str]:
    cache, key_prefix = _cache_and_prefix(cache, key_prefix)
    timeout = settings.CACHE_MIDDLEWARE_SECONDS if cache_timeout is None else cache_timeout
    header_names = sorted({name.lower() for name in vary_headers(response)})
    yield Call(cache.set, cache.aset, _header_list_key(request, key_prefix), header_names, timeout)
    return _page_key(request, request.method, header_names, key_prefix)


def get_cache_key(
    request: HttpRequest,
    key_prefix: str | None = None,
    method: str = "GET",
    cache: BaseCache | None = None,
) -> str | None:
    """The key the page for ``request`` is cached under, or None if no page was cached for
    its URL yet (the request headers it varies on are not known)."""
    return run(_get_cache_key(request, key_prefix, method, cache))


async def aget_cache_key(
    request: HttpRequest,
    key_prefix: str | None = None,
    method: str = "GET",
    cache: BaseCache | None = None,
) -> str | None:
    return await arun(_get_cache_key(request, key_prefix, method, cache))


def learn_cache_key(
    request: HttpRequest,
    response: HttpResponseBase,
    cache_timeout: float | None = None,
    key_prefix: str | None = None,
    cache: BaseCache | None = None,
) -> str:
    """Remember which request headers the URL's pages vary on (the response's ``Vary``) and
    return the key to cache this response under."""
    return run(_learn_cache_key(request, response, cache_timeout, key_prefix, cache))


async def alearn_cache_key(
    request: HttpRequest,
    response: HttpResponseBase,
    cache_timeout: float | None = None,
    key_prefix: str | None = None,
    cache: BaseCache | None = None,
) -> str:
    return await arun(_learn_cache_key(request, response, cache_timeout, key_prefix, cache))


# -- cache_page ------------------------------------------------------------------------------
class _PageCache:
    """What ``cache_page(timeout, cache=..., key_prefix=...)`` does around one view."""

    def __init__(self, timeout: float, cache_alias: str | None, key_prefix: str | None) -> None:
        self.timeout = timeout
        self.cache_alias = cache_alias
        self.key_prefix = key_prefix

    def _cache(self) -> BaseCache:
        return caches[self.cache_alias or settings.CACHE_MIDDLEWARE_ALIAS]

    def fetch(self, request: HttpRequest) -> Flow[HttpResponse | None]:
        """The cached page for a GET or HEAD request, or None."""
        cache = self._cache()
        for method in ("GET", "HEAD") if request.method == "HEAD" else ("GET",):
            key = yield from _get_cache_key(request, self.key_prefix, method, cache)
            if key is None:
                return None
            stored = yield Call(cache.get, cache.aget, key)
            if isinstance(stored, tuple):  # what store() put there
                return _rebuild(stored)
        return None

    def store(self, request: HttpRequest, response: object) -> Flow[None]:
        """Mark ``response`` cacheable for ``timeout`` seconds and cache it, unless it must
        not be (not a 200, streaming, private, set cookies for a cookie-less client, ...)."""
        if not isinstance(response, HttpResponse) or response.status_code not in (200, 304):
            return
        if not request.cookies and response.cookies and has_vary_header(response, "Cookie"):
            return  # a new visitor's session cookie must not be served to the next one
        if "private" in (response.get("Cache-Control") or "") or "*" in vary_headers(response):
            return
        patch_response_headers(response, self.timeout)
        if not self.timeout or response.status_code != 200:
            return
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            yield Call(response.render, response.render_async)
        cache = self._cache()
        key = yield from _learn_cache_key(request, response, self.timeout, self.key_prefix, cache)
        page: _StoredPage = (response.status_code, list(response.raw_headers), response.content)
        yield Call(cache.set, cache.aset, key, page, self.timeout)


def _rebuild(page: _StoredPage) -> HttpResponse:
    status, raw_headers, body = page
    response = HttpResponse(body, status=status)
    response.raw_headers[:] = raw_headers
    _set_age(response)
    return response


def _set_age(response: HttpResponse) -> None:
    """``Age``: how long ago the page was stored, from its max-age and Expires."""
    max_age = get_max_age(response)
    expires = response.get("Expires")
    if max_age is None or expires is None:
        return
    try:
        remaining = parsedate_to_datetime(expires).timestamp() - time.time()
    except (TypeError, ValueError):
        return
    response["Age"] = str(max(0, int(max_age - remaining)))


def _cached_view(page_cache: _PageCache, view: Callable[..., object]) -> Callable[..., object]:
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_inner(request: HttpRequest, *args: object, **kwargs: object) -> object:
            if request.method not in ("GET", "HEAD"):
                return await view(request, *args, **kwargs)
            cached = await arun(page_cache.fetch(request))
            if cached is not None:
                return cached
            response = await view(request, *args, **kwargs)
            await arun(page_cache.store(request, response))
            return response

        return async_inner

    @functools.wraps(view)
    def inner(request: HttpRequest, *args: object, **kwargs: object) -> object:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        cached = run(page_cache.fetch(request))
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        run(page_cache.store(request, response))
        return response

    return inner


class cache_page:
    """Decorator: cache the view's GET/HEAD responses for ``timeout`` seconds.

    ``@cache_page(60 * 15)`` stores each page in the CACHE_MIDDLEWARE_ALIAS cache (``cache=``
    names another alias), keyed by URL and the request headers named in the response's
    ``Vary``, and sets ``Cache-Control: max-age`` and ``Expires`` for browsers and proxies.
    Works on ``def`` and ``async def`` views (an async view stays async).
    """

    def __init__(
        self, timeout: float, *, cache: str | None = None, key_prefix: str | None = None
    ) -> None:
        self._page_cache = _PageCache(timeout, cache, key_prefix)

    @overload
    def __call__(
        self, view: Callable[Concatenate[_Req, _P], Awaitable[_Resp]]
    ) -> Callable[Concatenate[_Req, _P], Awaitable[_Resp | HttpResponse]]: ...

    @overload
    def __call__(
        self, view: Callable[Concatenate[_Req, _P], _Resp]
    ) -> Callable[Concatenate[_Req, _P], _Resp | HttpResponse]: ...

    def __call__(self, view: Callable[..., object]) -> Callable[..., object]:
        return _cached_view(self._page_cache, view)


def cache_control(**kwargs: str | int | bool) -> Callable[[_View], _View]:
    """Decorator: add Cache-Control directives (``@cache_control(max_age=3600, public=True)``)."""

    def decorator(view: _View) -> _View:
        return patching_response(view, lambda response: patch_cache_control(response, **kwargs))

    return decorator


def never_cache(view: _View) -> _View:
    """Decorator: ask every cache (browsers and proxies) never to store the response."""
    return patching_response(view, add_never_cache_headers)
