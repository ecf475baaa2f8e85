"""Decorators adding request headers to a response's ``Vary`` (for caches to key on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from djanco.utils.cache import patch_vary_headers
from djanco.views.decorators._patch import patching_response

__all__ = ["vary_on_cookie", "vary_on_headers"]

_View = TypeVar("_View", bound=Callable[..., object])


def vary_on_headers(*headers: str) -> Callable[[_View], _View]:
    """Decorator: the response varies on these request headers
    (``@vary_on_headers("Accept-Language", "User-Agent")``); ``def`` and ``async def`` views."""

    def decorator(view: _View) -> _View:
        return patching_response(view, lambda response: patch_vary_headers(response, headers))

    return decorator


def vary_on_cookie(view: _View) -> _View:
    """Decorator: the response varies on the ``Cookie`` request header (a per-user page)."""
    return patching_response(view, lambda response: patch_vary_headers(response, ("Cookie",)))
