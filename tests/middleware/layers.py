"""Small middleware written the ways users write them, to test how the chain runs them."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Awaitable, Callable

from djanco.core.exceptions import MiddlewareNotUsed
from djanco.http import HttpRequest, HttpResponse, HttpResponseBase
from djanco.middleware.base import GetResponse, Middleware, View
from djanco.utils.decorators import sync_and_async_middleware, sync_only_middleware

SyncGetResponse = Callable[[HttpRequest], HttpResponseBase]


def _mark(request: HttpRequest, name: str) -> None:
    trail: list[str] = getattr(request, "trail", [])
    request.trail = [*trail, name]  # type: ignore[attr-defined]


def _stamp(response: HttpResponseBase, name: str) -> HttpResponseBase:
    before = response.get("x-trail")
    response["X-Trail"] = f"{before},{name}" if before else name
    return response


class First(Middleware):
    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _mark(request, "first")
        return _stamp(await self.get_response(request), "first")


class Second(Middleware):
    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _mark(request, "second")
        return _stamp(await self.get_response(request), "second")


class SyncLayer:
    """A Django-style sync middleware: runs in a worker thread with a blocking get_response."""

    def __init__(self, get_response: SyncGetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _mark(
            request, f"sync-in-main-thread={threading.current_thread() is threading.main_thread()}"
        )
        return _stamp(self.get_response(request), "sync")


def function_layer(get_response: SyncGetResponse) -> Callable[[HttpRequest], HttpResponseBase]:
    """A Django-style function factory returning a sync closure."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        return _stamp(get_response(request), "function")

    return middleware


def async_function_layer(get_response: GetResponse) -> GetResponse:
    """A function factory returning an async closure."""

    async def middleware(request: HttpRequest) -> HttpResponseBase:
        return _stamp(await get_response(request), "async-function")

    return middleware


class Unused(Middleware):
    def __init__(self, get_response: GetResponse) -> None:
        raise MiddlewareNotUsed("not needed here")


class Raises(Middleware):
    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        raise RuntimeError("middleware broke")


class ShortCircuitView(Middleware):
    async def process_view(
        self,
        request: HttpRequest,
        view: View,
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponseBase | None:
        if request.headers.get("x-short-circuit"):
            return HttpResponse(f"skipped {getattr(view, '__name__', '?')} {kwargs}")
        return None


class HandleValueError(Middleware):
    async def process_exception(
        self, request: HttpRequest, exc: Exception
    ) -> HttpResponseBase | None:
        if isinstance(exc, ValueError):
            return HttpResponse(f"handled: {exc}", status=409)
        return None


class SyncHooks:
    """Sync hooks on a sync middleware run in a worker thread too."""

    def __init__(self, get_response: SyncGetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: tuple[object, ...], kwargs: dict[str, object]
    ) -> HttpResponseBase | None:
        _mark(request, "sync-process-view")
        return None


class AsyncMarkedSync(Middleware):
    """Claims async_capable = False but defines an async __call__: a configuration error."""

    async_capable = False


class SyncCallOnAsyncClass:
    """A class whose __call__ is sync but which a factory flag says is async."""

    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Awaitable[HttpResponseBase]:
        return self.get_response(request)


NOT_CALLABLE = 42


@sync_and_async_middleware
def dual_layer(get_response: GetResponse) -> GetResponse | SyncGetResponse:
    """Django's documented dual-mode function factory: picks its mode from get_response."""
    if inspect.iscoroutinefunction(get_response):

        async def amiddleware(request: HttpRequest) -> HttpResponseBase:
            return _stamp(await get_response(request), "dual-async")

        return amiddleware

    def middleware(request: HttpRequest) -> HttpResponseBase:
        return _stamp(get_response(request), "dual-sync")  # type: ignore[arg-type]

    return middleware


@sync_only_middleware
def sync_only_layer(get_response: SyncGetResponse) -> SyncGetResponse:
    """A sync-only factory: given a blocking get_response, run in a worker thread."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        in_main = threading.current_thread() is threading.main_thread()
        return _stamp(get_response(request), f"sync-only-in-main={in_main}")

    return middleware
