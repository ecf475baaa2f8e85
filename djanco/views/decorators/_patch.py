"""Wrapping a ``def`` or ``async def`` view so its response is changed before it is returned."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar, cast

from djanco.http.response import HttpResponseBase

_View = TypeVar("_View", bound=Callable[..., object])


def patching_response(view: _View, patch: Callable[[HttpResponseBase], None]) -> _View:
    """``view`` with ``patch(response)`` applied to each response it returns (an async view
    stays async)."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_inner(*args: object, **kwargs: object) -> object:
            response = await view(*args, **kwargs)
            patch(cast(HttpResponseBase, response))
            return response

        return cast(_View, async_inner)

    @functools.wraps(view)
    def inner(*args: object, **kwargs: object) -> object:
        response = view(*args, **kwargs)
        patch(cast(HttpResponseBase, response))
        return response

    return cast(_View, inner)
