"""Building the middleware chain from MIDDLEWARE, once, adapting sync layers to the async chain."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

import anyio.from_thread
from starlette.concurrency import run_in_threadpool

from djanco.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from djanco.core.handlers.exception import convert_exception_to_response
from djanco.middleware.base import Middleware
from djanco.utils.module_loading import import_setting_entry

if TYPE_CHECKING:
    from djanco.http import HttpRequest, HttpResponseBase
    from djanco.middleware.base import GetResponse, View

logger = logging.getLogger("djanco.request")

ViewHook: TypeAlias = (
    "Callable[[HttpRequest, View, tuple[object, ...], dict[str, object]], "
    "Awaitable[HttpResponseBase | None]]"
)
ExceptionHook: TypeAlias = "Callable[[HttpRequest, Exception], Awaitable[HttpResponseBase | None]]"

_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class MiddlewareChain:
    """The built chain: call ``entry`` with a request; the hooks are for the innermost layer."""

    entry: GetResponse
    view_hooks: tuple[ViewHook, ...]
    """``process_view`` hooks, outermost layer first."""
    exception_hooks: tuple[ExceptionHook, ...]
    """``process_exception`` hooks, innermost layer first."""


def build_chain(paths: Sequence[str], innermost: GetResponse) -> MiddlewareChain:
    """Import and construct each middleware around ``innermost``; the first path is outermost.

    ``innermost`` must turn its own exceptions into responses; every layer built here is
    wrapped so that its exceptions become responses too.
    """
    handler = innermost
    view_hooks: list[ViewHook] = []
    exception_hooks: list[ExceptionHook] = []
    for path in reversed(paths):
        factory = import_setting_entry(path, "MIDDLEWARE")
        if not callable(factory):
            raise ImproperlyConfigured(f"MIDDLEWARE entry {path!r} is not callable.")
        built = _construct(path, cast("Callable[[GetResponse], object]", factory), handler)
        if built is None:
            continue
        instance, layer = built
        view_hook = _hook(instance, "process_view")
        if view_hook is not None:
            view_hooks.insert(0, cast("ViewHook", view_hook))
        exception_hook = _hook(instance, "process_exception")
        if exception_hook is not None:
            exception_hooks.append(cast("ExceptionHook", exception_hook))
        handler = convert_exception_to_response(layer)
    return MiddlewareChain(handler, tuple(view_hooks), tuple(exception_hooks))


def is_async_callable(obj: object) -> bool:
    """Whether calling ``obj`` gives a coroutine (an ``async def`` or an async ``__call__``)."""
    return inspect.iscoroutinefunction(obj) or inspect.iscoroutinefunction(
        getattr(obj, "__call__", None)  # noqa: B004 - we need the method itself
    )


def _construct(
    path: str, factory: Callable[[GetResponse], object], handler: GetResponse
) -> tuple[object, GetResponse] | None:
    """The middleware instance and the async layer running it; None if not used."""
    is_async = _factory_is_async(factory)
    given: object
    if is_async is None:
        given = _DualGetResponse(handler)  # a function factory: we learn its mode afterwards
    else:
        given = handler if is_async else _SyncGetResponse(handler)
    try:
        layer = factory(cast("GetResponse", given))
    except MiddlewareNotUsed as exc:
        if str(exc):
            logger.debug("MiddlewareNotUsed(%r): %s", path, exc)
        return None
    if not callable(layer):
        raise ImproperlyConfigured(
            f"Middleware {path!r} returned {layer!r}, not a callable taking the request."
        )
    if is_async_callable(layer):
        if is_async is False:
            raise ImproperlyConfigured(
                f"Middleware {path!r} is marked sync-only but its __call__ is async."
            )
        return layer, cast("GetResponse", layer)
    if is_async:
        raise ImproperlyConfigured(
            f"Middleware {path!r} was given an async get_response, but its __call__ is sync: "
            "make __call__ 'async def', or set async_capable = False on the class."
        )
    return layer, _run_in_thread(cast("Callable[[HttpRequest], HttpResponseBase]", layer))


def _factory_is_async(factory: object) -> bool | None:
    """True/False when the factory says (Django's flags) or is a class; None if unknown."""
    async_capable = getattr(factory, "async_capable", None)
    if isinstance(async_capable, bool):
        return async_capable
    if isinstance(factory, type):
        return inspect.iscoroutinefunction(getattr(factory, "__call__", None))  # noqa: B004
    return None


def _hook(layer: object, name: str) -> Callable[..., Awaitable[object]] | None:
    """``layer``'s hook ``name`` as a coroutine function, or None if it is not overridden."""
    hook: object = getattr(layer, name, None)
    if hook is None or getattr(type(layer), name, None) is getattr(Middleware, name):
        return None
    if not callable(hook):
        raise ImproperlyConfigured(f"{type(layer).__qualname__}.{name} is not callable.")
    if inspect.iscoroutinefunction(hook):
        return cast("Callable[..., Awaitable[object]]", hook)
    return _to_thread(cast("Callable[..., object]", hook))


def _to_thread(func: Callable[..., _R]) -> Callable[..., Awaitable[_R]]:
    async def call(*args: object) -> _R:
        return await run_in_threadpool(func, *args)

    return call


def _run_in_thread(layer: Callable[[HttpRequest], HttpResponseBase]) -> GetResponse:
    # A sync middleware runs in a worker thread so it can never block the event loop.
    async def call(request: HttpRequest) -> HttpResponseBase:
        return await run_in_threadpool(layer, request)

    return call


async def _await(get_response: GetResponse, request: HttpRequest) -> HttpResponseBase:
    return await get_response(request)


class _SyncGetResponse:
    """What a sync middleware calls: runs the async rest of the chain from its worker thread."""

    __slots__ = ("_get_response",)

    def __init__(self, get_response: GetResponse) -> None:
        self._get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return anyio.from_thread.run(_await, self._get_response, request)


class _DualGetResponse(_SyncGetResponse):
    """For factories of unknown mode: awaitable on the event loop, blocking in a worker thread."""

    __slots__ = ()

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:  # type: ignore[override]
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return anyio.from_thread.run(_await, self._get_response, request)
        return self._get_response(request)
