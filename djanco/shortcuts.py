"""Shortcuts for views: render() a template, redirect() to a URL, a URL name or an object,
get_object_or_404() and get_list_or_404() (and their async forms)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload, runtime_checkable

from djanco.core.exceptions import Http404
from djanco.db.models.manager import Manager
from djanco.db.models.query import BaseQuerySet
from djanco.http.request import HttpRequest
from djanco.http.response import HttpResponsePermanentRedirect, HttpResponseRedirect
from djanco.templates.response import TemplateResponse
from djanco.urls import NoReverseMatch, reverse
from djanco.utils.functional import LazyStr

if TYPE_CHECKING:
    from djanco.db.models import Model, Q
    from djanco.db.models.expressions import Combinable

__all__ = [
    "SupportsGetAbsoluteUrl",
    "aget_list_or_404",
    "aget_object_or_404",
    "get_list_or_404",
    "get_object_or_404",
    "redirect",
    "render",
    "resolve_url",
]

_M = TypeVar("_M", bound="Model")
_Row = TypeVar("_Row")


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


def _queryset(klass: type[Model] | Manager[Any] | BaseQuerySet[Any, Any]) -> BaseQuerySet[Any, Any]:
    if isinstance(klass, BaseQuerySet):
        return klass
    if isinstance(klass, Manager):
        return klass.all()
    if isinstance(klass, type) and hasattr(klass, "_meta"):
        return klass._meta.default_manager.all()
    raise TypeError(
        "First argument to get_object_or_404() / get_list_or_404() must be a Model, Manager "
        f"or QuerySet, not {type(klass).__name__!r}."
    )


def _not_found(queryset: BaseQuerySet[Any, Any]) -> Http404:
    return Http404(f"No {queryset.model._meta.object_name} matches the given query.")


@overload
def get_object_or_404(klass: type[_M], *args: Q | Combinable, **kwargs: object) -> _M: ...
@overload
def get_object_or_404(klass: Manager[_M], *args: Q | Combinable, **kwargs: object) -> _M: ...
@overload
def get_object_or_404(
    klass: BaseQuerySet[Any, _Row], *args: Q | Combinable, **kwargs: object
) -> _Row: ...
def get_object_or_404(
    klass: type[Model] | Manager[Any] | BaseQuerySet[Any, Any],
    *args: Q | Combinable,
    **kwargs: object,
) -> object:
    """``get()`` on a model, manager or queryset; ``Http404`` (a 404 page) if nothing matches.

    More than one match still raises ``MultipleObjectsReturned``, as in Django.
    """
    queryset = _queryset(klass)
    try:
        return queryset.get(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


@overload
async def aget_object_or_404(klass: type[_M], *args: Q | Combinable, **kwargs: object) -> _M: ...
@overload
async def aget_object_or_404(klass: Manager[_M], *args: Q | Combinable, **kwargs: object) -> _M: ...
@overload
async def aget_object_or_404(
    klass: BaseQuerySet[Any, _Row], *args: Q | Combinable, **kwargs: object
) -> _Row: ...
async def aget_object_or_404(
    klass: type[Model] | Manager[Any] | BaseQuerySet[Any, Any],
    *args: Q | Combinable,
    **kwargs: object,
) -> object:
    """Async form of ``get_object_or_404()``."""
    queryset = _queryset(klass)
    try:
        return await queryset.aget(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


@overload
def get_list_or_404(klass: type[_M], *args: Q | Combinable, **kwargs: object) -> list[_M]: ...
@overload
def get_list_or_404(klass: Manager[_M], *args: Q | Combinable, **kwargs: object) -> list[_M]: ...
@overload
def get_list_or_404(
    klass: BaseQuerySet[Any, _Row], *args: Q | Combinable, **kwargs: object
) -> list[_Row]: ...
def get_list_or_404(
    klass: type[Model] | Manager[Any] | BaseQuerySet[Any, Any],
    *args: Q | Combinable,
    **kwargs: object,
) -> list[Any]:
    """``list(filter(...))`` on a model, manager or queryset; ``Http404`` if it is empty."""
    queryset = _queryset(klass)
    found = list(queryset.filter(*args, **kwargs))
    if not found:
        raise _not_found(queryset)
    return found


@overload
async def aget_list_or_404(
    klass: type[_M], *args: Q | Combinable, **kwargs: object
) -> list[_M]: ...
@overload
async def aget_list_or_404(
    klass: Manager[_M], *args: Q | Combinable, **kwargs: object
) -> list[_M]: ...
@overload
async def aget_list_or_404(
    klass: BaseQuerySet[Any, _Row], *args: Q | Combinable, **kwargs: object
) -> list[_Row]: ...
async def aget_list_or_404(
    klass: type[Model] | Manager[Any] | BaseQuerySet[Any, Any],
    *args: Q | Combinable,
    **kwargs: object,
) -> list[Any]:
    """Async form of ``get_list_or_404()``."""
    queryset = _queryset(klass)
    found = [obj async for obj in queryset.filter(*args, **kwargs)]
    if not found:
        raise _not_found(queryset)
    return found
