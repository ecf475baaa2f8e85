"""Turning an exception into a response at every layer of the chain (Django's semantics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.views.errors import response_for_exception

if TYPE_CHECKING:
    from djanco.http import HttpRequest, HttpResponseBase
    from djanco.middleware.base import GetResponse


def convert_exception_to_response(get_response: GetResponse) -> GetResponse:
    """Wrap ``get_response`` so an exception it raises comes back as an error response.

    Every middleware layer is wrapped this way, so the layers outside it always see a response
    (a 404 still gets security headers and gzip) and never an exception.
    """

    async def inner(request: HttpRequest) -> HttpResponseBase:
        try:
            return await get_response(request)
        except Exception as exc:
            return await response_for_exception(request, exc)

    return inner
