"""View, the base of class-based views, and the simplest generic views built on it."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar, Generic, Protocol, TypeVar, cast

from djanco.core.exceptions import ImproperlyConfigured
from djanco.http.request import HttpRequest
from djanco.http.response import (
    HttpResponse,
    HttpResponseBase,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from djanco.templates.response import TemplateResponse
from djanco.urls import reverse

logger = logging.getLogger("djanco.request")

ViewResult = HttpResponseBase | Awaitable[HttpResponseBase]
"""What a view returns: a response, or (from an ``async def`` view) an awaitable of one."""

_T = TypeVar("_T")


class ViewFunction(Protocol):
    """What ``View.as_view()`` returns: a view function that remembers how it was made."""

    view_class: type[View]
    view_initkwargs: dict[str, object]

    def __call__(self, request: HttpRequest, /, *args: object, **kwargs: object) -> ViewResult:
        """Handle ``request`` with a fresh instance of ``view_class``."""
        ...


class _ClassProperty(Generic[_T]):
    # A read-only property computed from the class (Django's classproperty).
    def __init__(self, fget: Callable[[type[View]], _T]) -> None:
        self.fget = fget

    def __get__(self, instance: object, owner: type[View]) -> _T:
        return self.fget(owner)


def _view_is_async(cls: type[View]) -> bool:
    handlers = {
        name: getattr(cls, name)
        for name in cls.http_method_names
        if name != "options" and hasattr(cls, name)
    }
    kinds = {name: inspect.iscoroutinefunction(handler) for name, handler in handlers.items()}
    if len(set(kinds.values())) > 1:
        async_names = ", ".join(name for name, is_async in kinds.items() if is_async)
        sync_names = ", ".join(name for name, is_async in kinds.items() if not is_async)
        raise ImproperlyConfigured(
            f"{cls.__qualname__} HTTP handlers must either be all sync or all async "
            f"(async: {async_names}; sync: {sync_names})."
        )
    return bool(kinds) and all(kinds.values())


class View:
    """The base class-based view: dispatches on the HTTP method to ``get()``, ``post()``, ...

    Route it with ``path("x/", MyView.as_view())``. A method without a handler gets 405
    Method Not Allowed with an ``Allow`` header listing the handled ones. Handlers are either
    all ``async def`` (``as_view()`` then returns an async view) or all ``def``.
    """

    http_method_names: ClassVar[list[str]] = [
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "trace",
    ]

    request: HttpRequest
    args: tuple[object, ...]
    kwargs: dict[str, object]

    view_is_async = _ClassProperty(_view_is_async)
    """True when every handler is ``async def`` (ImproperlyConfigured if they are mixed)."""

    def __init__(self, **kwargs: object) -> None:
        """Set each keyword argument given to ``as_view()`` as an attribute."""
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classmethod
    def as_view(cls, **initkwargs: object) -> ViewFunction:
        """A view function that handles each request with ``cls(**initkwargs)``.

        Only existing class attributes may be given, e.g.
        ``TemplateView.as_view(template_name="about.html")``.
        """
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"The method name {key} is not accepted as a keyword argument to "
                    f"{cls.__name__}()."
                )
            if not hasattr(cls, key):
                raise TypeError(
                    f"{cls.__name__}() received an invalid keyword {key!r}. as_view only "
                    "accepts arguments that are already attributes of the class."
                )

        view: Callable[..., ViewResult]
        if cls.view_is_async:

            async def async_view(
                request: HttpRequest, *args: object, **kwargs: object
            ) -> HttpResponseBase:
                self = cls(**initkwargs)
                self.setup(request, *args, **kwargs)
                result = self.dispatch(request, *args, **kwargs)
                return result if isinstance(result, HttpResponseBase) else await result

            view = async_view
        else:

            def sync_view(
                request: HttpRequest, *args: object, **kwargs: object
            ) -> HttpResponseBase:
                self = cls(**initkwargs)
                self.setup(request, *args, **kwargs)
                result = self.dispatch(request, *args, **kwargs)
                if not isinstance(result, HttpResponseBase):
                    raise TypeError(
                        f"{cls.__qualname__}.dispatch() returned {result!r}, not a response."
                    )
                return result

            view = sync_view
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__qualname__ = view.__name__ = f"{cls.__qualname__}.as_view"
        vars(view).update(view_class=cls, view_initkwargs=initkwargs)
        return cast(ViewFunction, view)

    def setup(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        """Store the request and URL arguments; a ``get`` handler also answers HEAD."""
        get = getattr(self, "get", None)
        if get is not None and not hasattr(self, "head"):
            vars(self)["head"] = get
        self.request = request
        self.args = args
        self.kwargs = kwargs

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> ViewResult:
        """Call the handler named after the request method, or http_method_not_allowed()."""
        method = request.method.lower()
        handler: Callable[..., ViewResult] = self.http_method_not_allowed
        if method in self.http_method_names:
            handler = getattr(self, method, self.http_method_not_allowed)
        return handler(request, *args, **kwargs)

    def http_method_not_allowed(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> ViewResult:
        """405 Method Not Allowed, with ``Allow`` listing the methods this view handles."""
        logger.warning(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            extra={"status_code": 405, "request": request},
        )
        return self._as_result(HttpResponseNotAllowed(self._allowed_methods()))

    def options(self, request: HttpRequest, *args: object, **kwargs: object) -> ViewResult:
        """Answer OPTIONS with the allowed methods in ``Allow``."""
        response = HttpResponse()
        response["Allow"] = ", ".join(self._allowed_methods())
        return self._as_result(response)

    def _allowed_methods(self) -> list[str]:
        return [name.upper() for name in self.http_method_names if hasattr(self, name)]

    def _as_result(self, response: HttpResponseBase) -> ViewResult:
        # An async view must get an awaitable from every handler, including the built-in ones.
        if not type(self).view_is_async:
            return response

        async def ready() -> HttpResponseBase:
            return response

        return ready()


class ContextMixin:
    """Builds the template context: the URL keyword arguments, ``view`` and extra_context."""

    extra_context: Mapping[str, object] | None = None

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        """The template variables; override to add more (call super() first)."""
        kwargs.setdefault("view", self)
        if self.extra_context is not None:
            kwargs.update(self.extra_context)
        return kwargs


class TemplateResponseMixin:
    """Renders a TemplateResponse for ``template_name``."""

    template_name: str | None = None
    content_type: str | None = None
    response_class: type[TemplateResponse] = TemplateResponse
    request: HttpRequest

    def render_to_response(
        self, context: Mapping[str, object], status: int | None = None
    ) -> TemplateResponse:
        """A TemplateResponse (rendered later by the handler) for the template and context."""
        return self.response_class(
            self.request,
            self.get_template_names(),
            context,
            content_type=self.content_type,
            status=status,
        )

    def get_template_names(self) -> list[str]:
        """The templates to try, in order; by default ``[template_name]``."""
        if self.template_name is None:
            raise ImproperlyConfigured(
                f"{type(self).__qualname__} requires either a definition of 'template_name' "
                "or an implementation of 'get_template_names()'."
            )
        return [self.template_name]


class TemplateView(TemplateResponseMixin, ContextMixin, View):
    """Render ``template_name`` on GET, with the URL's keyword arguments in the context."""

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> TemplateResponse:
        return self.render_to_response(self.get_context_data(**kwargs))


class RedirectView(View):
    """Redirect every request to ``url`` (``%(name)s`` filled from URL kwargs) or to
    ``pattern_name`` reversed with the URL's arguments; 410 Gone when neither gives a URL."""

    permanent: bool = False
    url: str | None = None
    pattern_name: str | None = None
    query_string: bool = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str | None:
        """The target URL, or None for 410 Gone."""
        if self.url:
            url = self.url % kwargs
        elif self.pattern_name:
            url = reverse(self.pattern_name, args=args or None, kwargs=kwargs or None)
        else:
            return None
        query: bytes = self.request.scope.get("query_string", b"")
        if query and self.query_string:
            url = f"{url}?{query.decode('latin-1')}"
        return url

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        url = self.get_redirect_url(*args, **kwargs)
        if url:
            if self.permanent:
                return HttpResponsePermanentRedirect(url)
            return HttpResponseRedirect(url)
        logger.warning("Gone: %s", request.path, extra={"status_code": 410, "request": request})
        return HttpResponseGone()

    head = post = options = delete = put = patch = get
