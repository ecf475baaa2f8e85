"""HttpRequest: Starlette's Request with Django's conveniences; nothing is parsed until asked."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Generator
from contextlib import aclosing
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import quote, urljoin, urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from djanco.conf import settings
from djanco.core.exceptions import BadRequest, RequestDataTooBig
from djanco.http.protocols import RequestSession, RequestUser, SetByMiddleware
from djanco.http.querydict import QueryDict

if TYPE_CHECKING:
    from djanco.urls import ResolverMatch

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
"""What ``await request.json()`` can return: narrow it with ``isinstance`` before use."""

# Characters left as they are when a decoded path is put back into a URL (Django's set).
_PATH_SAFE = "/:@&+$,-_.!~*'()"


class HttpRequest(Request):
    """One incoming HTTP request.

    Built from the ASGI scope by the handler; construction does no parsing: the query string,
    headers, cookies and body are decoded on first access and cached.
    """

    resolver_match: ResolverMatch | None = None
    """The URL match that selected the view; set by the handler before the view runs."""

    _parsed_json: JSON
    _auser: Callable[[], Awaitable[RequestUser]] | None = None

    # Starlette's session (a dict) and user come from its own middleware through the scope;
    # these are set by Djanco's, and typed by the Protocols contrib implements.
    session: SetByMiddleware[RequestSession] = SetByMiddleware(  # type: ignore[assignment]
        "'djanco.contrib.sessions.middleware.SessionMiddleware' must be in MIDDLEWARE in order "
        "to use request.session (and 'djanco.contrib.sessions' in INSTALLED_APPS)."
    )
    """The client's session, set by SessionMiddleware (``djanco.contrib.sessions``); reading
    it before raises MiddlewareNotInstalled, an AttributeError saying what to install."""
    user: SetByMiddleware[RequestUser] = SetByMiddleware(
        "'djanco.contrib.auth.middleware.AuthenticationMiddleware' must be in MIDDLEWARE, after "
        "SessionMiddleware, in order to use request.user (and 'djanco.contrib.auth' in "
        "INSTALLED_APPS)."
    )
    """The user making the request, set by AuthenticationMiddleware (``djanco.contrib.auth``);
    reading it before raises MiddlewareNotInstalled."""

    @property
    def auser(self) -> Callable[[], Awaitable[RequestUser]]:
        """``await request.auser()``: the user, loaded without blocking the event loop.

        AuthenticationMiddleware sets the loader (``request.auser = ...``, as in Django); when
        only ``request.user`` was set, ``auser()`` returns that user.
        """
        if self._auser is not None:
            return self._auser
        user = self.user

        async def known_user() -> RequestUser:
            return user

        return known_user

    @auser.setter
    def auser(self, loader: Callable[[], Awaitable[RequestUser]]) -> None:
        self._auser = loader

    @property
    def path(self) -> str:
        """The full, decoded request path, e.g. ``"/blog/2/"``."""
        path: str = self.scope["path"]
        return path

    @property
    def path_info(self) -> str:
        """The path without the ASGI ``root_path`` prefix (what URL patterns match)."""
        path: str = self.scope["path"]
        root: str = self.scope.get("root_path", "")
        if root and path.startswith(root):
            return path[len(root) :] or "/"
        return path

    @cached_property
    def GET(self) -> QueryDict:
        """The query string's parameters; ``GET["a"]`` is the last value for ``a``."""
        return QueryDict(self.scope.get("query_string", b""))

    @property
    def content_type(self) -> str:
        """The body's media type without parameters, e.g. ``"application/json"``."""
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()

    async def body(self) -> bytes:
        """The whole body, read once and kept; at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes.

        A larger body raises RequestDataTooBig (a 413): refused from its Content-Length before
        anything is read, or as soon as a chunked body passes the limit. A view that must take
        more reads ``request.stream()`` instead, which has no limit.
        """
        try:
            return self._body
        except AttributeError:
            pass
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and self._declared_length() > limit:
            raise RequestDataTooBig(_too_big_message(limit))
        chunks: list[bytes] = []
        size = 0
        async with aclosing(self.stream()) as stream:
            async for chunk in stream:
                size += len(chunk)
                if limit is not None and size > limit:
                    raise RequestDataTooBig(_too_big_message(limit))
                chunks.append(chunk)
        self._body = b"".join(chunks)
        return self._body

    def _declared_length(self) -> int:
        declared = self.headers.get("content-length", "")
        try:
            return int(declared) if declared else 0
        except ValueError:
            raise BadRequest(f"Invalid Content-Length header: {declared!r}") from None

    async def json(self) -> JSON:
        """The body parsed as JSON. An empty, malformed or too deeply nested body raises
        BadRequest (a 400); one over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig."""
        try:
            return self._parsed_json
        except AttributeError:
            pass
        body = await self.body()
        if not body.strip():
            raise BadRequest("Malformed JSON body: the request body is empty")
        try:
            parsed: JSON = json.loads(body)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both
            raise BadRequest(f"Malformed JSON body: {exc}") from exc
        except RecursionError:  # the decoder recurses once per level of [[[[ or {{{{
            raise BadRequest("Malformed JSON body: nested too deeply") from None
        self._parsed_json = parsed
        return parsed

    def form(
        self,
        *,
        max_files: int | float = 1000,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> _FormReader:
        """The urlencoded or multipart body; ``await`` it, or ``async with`` to close uploads.

        A malformed body raises BadRequest (a 400) instead of a server error. A urlencoded
        body counts against DATA_UPLOAD_MAX_MEMORY_SIZE; multipart file uploads do not (files
        over ``max_part_size`` go to temporary files, not memory).
        """
        return _FormReader(self._read_form(max_files, max_fields, max_part_size))

    async def _read_form(
        self, max_files: int | float, max_fields: int | float, max_part_size: int
    ) -> FormData:
        if self.content_type == "application/x-www-form-urlencoded":
            await self.body()  # read within the limit; the form parser then reads it from memory
        try:
            return await super().form(
                max_files=max_files, max_fields=max_fields, max_part_size=max_part_size
            )
        except MultiPartException as exc:
            raise BadRequest(f"Malformed form body: {exc.message}") from exc
        except HTTPException as exc:  # Starlette's form() raises this when scope has "app"
            raise BadRequest(f"Malformed form body: {exc.detail}") from exc

    @property
    def scheme(self) -> str:
        """``"https"`` or ``"http"``, trusting SECURE_PROXY_SSL_HEADER when it is set."""
        proxy_header = settings.SECURE_PROXY_SSL_HEADER
        if proxy_header is not None:
            name, secure_value = proxy_header
            value = self.headers.get(_header_key(name))
            if value is not None:
                return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
        scheme: str = self.scope.get("scheme", "http")
        return scheme

    def is_secure(self) -> bool:
        """Whether the request came over HTTPS (directly or per SECURE_PROXY_SSL_HEADER)."""
        return self.scheme == "https"

    def get_host(self) -> str:
        """The host the client asked for (``X-Forwarded-Host`` if USE_X_FORWARDED_HOST).

        Not validated here: SecurityMiddleware checks it against ALLOWED_HOSTS.
        """
        if settings.USE_X_FORWARDED_HOST:
            forwarded = self.headers.get("x-forwarded-host")
            if forwarded:
                return forwarded.split(",", 1)[0].strip()
        host = self.headers.get("host")
        if host:
            return host
        server: tuple[str, int | None] | None = self.scope.get("server")
        if server is None:
            return ""
        name, port = server
        if port is None or port == (443 if self.is_secure() else 80):
            return name
        return f"{name}:{port}"

    def get_full_path(self, force_append_slash: bool = False) -> str:
        """The path plus the query string, URL-encoded, e.g. ``"/search/?q=a%20b"``."""
        path = self.path
        if force_append_slash and not path.endswith("/"):
            path += "/"
        query: bytes = self.scope.get("query_string", b"")
        path = quote(path, safe=_PATH_SAFE)
        return f"{path}?{query.decode('latin-1')}" if query else path

    def build_absolute_uri(self, location: str | None = None) -> str:
        """An absolute URL for ``location`` (default: this request's full path).

        A relative location is resolved against the current path; an absolute URL is
        returned unchanged.
        """
        origin = f"{self.scheme}://{self.get_host()}"
        if location is None:
            return origin + self.get_full_path()
        bits = urlsplit(location)
        if bits.scheme and bits.netloc:
            return location
        return urljoin(origin + quote(self.path, safe=_PATH_SAFE), location)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.method} {self.get_full_path()!r}>"


class _FormReader:
    """What ``request.form()`` returns: awaitable, or an async context manager closing uploads."""

    __slots__ = ("_awaitable", "_form")

    def __init__(self, awaitable: Awaitable[FormData]) -> None:
        self._awaitable = awaitable

    def __await__(self) -> Generator[object, None, FormData]:
        return self._awaitable.__await__()

    async def __aenter__(self) -> FormData:
        self._form = await self._awaitable
        return self._form

    async def __aexit__(self, *exc_info: object) -> None:
        await self._form.close()


def _too_big_message(limit: int) -> str:
    return (
        f"The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE ({limit} bytes); a view "
        "that takes larger bodies reads request.stream()"
    )


def _header_key(name: str) -> str:
    # SECURE_PROXY_SSL_HEADER may use Django's META spelling ("HTTP_X_FORWARDED_PROTO").
    if name.startswith("HTTP_"):
        name = name[5:]
    return name.replace("_", "-").lower()
