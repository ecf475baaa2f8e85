"""The middleware contract: what a layer receives (``get_response``) and what it must be."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeAlias

from djanco.http import HttpRequest, HttpResponseBase

GetResponse: TypeAlias = Callable[[HttpRequest], Awaitable[HttpResponseBase]]
"""The rest of the chain as seen from one middleware: takes a request, gives a response."""

View: TypeAlias = Callable[..., object]
"""A view as ``process_view`` receives it: called with the request and the URL's arguments."""


class Middleware:
    """Base class for a middleware layer, Django style.

    The handler builds the chain once: each layer is constructed with the next layer's
    ``get_response`` and called with every request. Override ``__call__`` to act before and
    after the rest of the chain. ``process_view`` runs after the URL is resolved and before the
    view (outermost layer first); returning a response skips the view. ``process_exception``
    runs when the view raises (innermost layer first); returning a response answers with it.
    The hooks are only called when a subclass overrides them.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return await self.get_response(request)

    async def process_view(
        self,
        request: HttpRequest,
        view: View,
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponseBase | None:
        """Answer instead of ``view``, or return None to let it run."""
        return None

    async def process_exception(
        self, request: HttpRequest, exc: Exception
    ) -> HttpResponseBase | None:
        """Turn the view's exception into a response, or return None to let it propagate."""
        return None
