"""Shortcuts for views: render() a template, redirect() to a URL, a URL name or an object."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from djanco.http.request import HttpRequest
from djanco.http.response import HttpResponsePermanentRedirect, HttpResponseRedirect
from djanco.templates.response import TemplateResponse
from djanco.urls import NoReverseMatch, reverse
from djanco.utils.functional import LazyStr

__all__ = ["SupportsGetAbsoluteUrl", "redirect", "render", "resolve_url"]


@runtime_checkable
class SupportsGetAbsoluteUrl(Protocol):
    """An object with a canonical URL, such as a model instance."""

    def get_absolute_url(self) -> str: ...


RedirectTarget = str | LazyStr | SupportsGetAbsoluteUrl | Callable[..., object]
"""A URL, a URL pattern name (``"blog:detail"``), a view, or an object with a URL."""


def render(
    request: HttpRequest,
    template_name: str | Sequence[str],
    context: Mapping[str, object] | None = None,
    content_type: str | None = None,
    status: int | None = None,
) -> TemplateResponse:
    """A response rendering ``template_name`` with ``context`` (and ``request``).

    The template is looked up now, so a missing one fails in the view; the body is rendered
    by the handler after the view returns, so this works the same in ``def`` and
    ``async def`` views. A list of names renders the first that exists.
    """
    return TemplateResponse(request, template_name, context, content_type, status)


def resolve_url(to: RedirectTarget, *args: object, **kwargs: object) -> str:
    """The URL for ``to``; see ``redirect()``."""
    if isinstance(to, SupportsGetAbsoluteUrl):
        return to.get_absolute_url()
    if isinstance(to, LazyStr):
        to = str(to)
    if isinstance(to, str) and to.startswith(("./", "../")):
        return to  # relative URLs are kept as they are
    try:
        return reverse(to, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        # Not a pattern name: if it looks like a URL use it, else the error is the user's typo.
        if not isinstance(to, str) or ("/" not in to and "." not in to):
            raise
    return to


def redirect(
    to: RedirectTarget, *args: object, permanent: bool = False, **kwargs: object
) -> HttpResponseRedirect | HttpResponsePermanentRedirect:
    """Redirect (302, or 301 with ``permanent=True``) to ``to``.

    ``to`` may be an object with ``get_absolute_url()``, a URL pattern name or view (reversed
    with ``args``/``kwargs``), or a URL (absolute, or relative such as ``"../"``).
    """
    url = resolve_url(to, *args, **kwargs)
    return HttpResponsePermanentRedirect(url) if permanent else HttpResponseRedirect(url)
