"""The handler's core: the middleware chain around the innermost layer, which runs the view."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable
from typing import TYPE_CHECKING, cast

from starlette.concurrency import run_in_threadpool

from djanco.conf import on_setting_changed, settings
from djanco.core.handlers.chain import build_chain, is_async_callable
from djanco.http import HttpResponseBase
from djanco.templates.response import TemplateResponse
from djanco.urls import get_resolver
from djanco.views.errors import ensure_response, response_for_exception

if TYPE_CHECKING:
    from djanco.core.handlers.chain import ExceptionHook, ViewHook
    from djanco.http import HttpRequest
    from djanco.middleware.base import GetResponse

_MAX_CACHED_VIEWS = 4096


class BaseHandler:
    """Builds the chain from MIDDLEWARE once, and again after any setting changes.

    Middleware read the settings they need when constructed, so rebuilding on a change is
    what keeps them current without reading settings on every request.
    """

    def __init__(self) -> None:
        self._chain: GetResponse | None = None
        self._view_hooks: tuple[ViewHook, ...] = ()
        self._exception_hooks: tuple[ExceptionHook, ...] = ()
        self._urlconf: str | None = None
        self._view_is_async: dict[object, bool] = {}
        self.load_middleware()
        handler = weakref.ref(self)

        def reset(name: str) -> None:
            live = handler()
            if live is not None:
                live._chain = None

        on_setting_changed(reset)

    def load_middleware(self) -> GetResponse:
        """(Re)build the chain from the current settings and return its entry point."""
        self._urlconf = settings.ROOT_URLCONF
        chain = build_chain(settings.MIDDLEWARE, self._get_response)
        self._view_hooks = chain.view_hooks
        self._exception_hooks = chain.exception_hooks
        self._view_is_async.clear()
        self._chain = chain.entry
        return chain.entry

    async def get_response(self, request: HttpRequest) -> HttpResponseBase:
        """Run ``request`` through the whole chain; always a response, never an exception."""
        chain = self._chain
        if chain is None:
            try:
                chain = self.load_middleware()
            except Exception as exc:
                return await response_for_exception(request, exc)
        return await chain(request)

    async def _get_response(self, request: HttpRequest) -> HttpResponseBase:
        """The innermost layer: resolve, run process_view hooks, call the view, check result."""
        try:
            match = get_resolver(self._urlconf).resolve(request.path_info)
            request.resolver_match = match
            view, args, kwargs = match.func, match.args, match.kwargs
            response: object = None
            for hook in self._view_hooks:
                response = await hook(request, view, args, kwargs)
                if response is not None:
                    break
            else:
                try:
                    if self._is_async(view):
                        response = await cast("Awaitable[object]", view(request, *args, **kwargs))
                    else:
                        response = await run_in_threadpool(view, request, *args, **kwargs)
                except Exception as exc:
                    response = await self._process_exception(request, exc)
                    if response is None:
                        raise
            if isinstance(response, HttpResponseBase) and not isinstance(
                response, TemplateResponse
            ):
                return response
            return await ensure_response(response, view)
        except Exception as exc:
            return await response_for_exception(request, exc)

    def _is_async(self, view: object) -> bool:
        try:
            return self._view_is_async[view]
        except KeyError:
            if len(self._view_is_async) >= _MAX_CACHED_VIEWS:  # views made per request
                self._view_is_async.clear()
            is_async = self._view_is_async[view] = is_async_callable(view)
            return is_async
        except TypeError:  # an unhashable callable: just look
            return is_async_callable(view)

    async def _process_exception(
        self, request: HttpRequest, exc: Exception
    ) -> HttpResponseBase | None:
        """The first ``process_exception`` hook's response (innermost first), if any."""
        for hook in self._exception_hooks:
            response = await hook(request, exc)
            if response is not None:
                return response
        return None
