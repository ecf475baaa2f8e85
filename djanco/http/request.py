"""HttpRequest: Starlette's Request with Django's conveniences; nothing is parsed until asked."""

from __future__ import annotations

import asyncio
import codecs
import json
from collections.abc import Awaitable, Callable, Generator
from contextlib import aclosing
from functools import cached_property
from typing import TYPE_CHECKING, BinaryIO, TypeAlias, cast
from urllib.parse import quote, urljoin, urlsplit

import anyio.from_thread
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.requests import Request

from djanco.conf import settings
from djanco.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SynchronousOnlyOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from djanco.core.files import UploadedFile
from djanco.http.multipartparser import Files, MultiPartParser, parse_urlencoded
from djanco.http.protocols import RequestSession, RequestUser, SetByMiddleware
from djanco.http.querydict import MultiValueDict, QueryDict

if TYPE_CHECKING:
    from djanco.urls import ResolverMatch

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
"""What ``await request.json()`` can return: narrow it with ``isinstance`` before use."""

# Characters left as they are when a decoded path is put back into a URL (Django's set).
_PATH_SAFE = "/:@&+$,-_.!~*'()"
_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


class HttpRequest(Request):
    """One incoming HTTP request.

    Built from the ASGI scope by the handler; construction does no parsing: the query string,
    headers, cookies and body are decoded on first access and cached.
    """

    resolver_match: ResolverMatch | None = None
    """The URL match that selected the view; set by the handler before the view runs."""

    _parsed_json: JSON
    _post_and_files: tuple[QueryDict, Files]
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
    def POST(self) -> QueryDict:
        """The fields of a form POSTed as urlencoded or multipart data; empty for any other
        method or content type (read JSON with ``await request.json()``).

        The handler reads the body before the view runs, ``def`` or ``async def``, so a view
        just reads ``request.POST["choice"]``. Code that runs earlier (a middleware's
        ``__call__``) first awaits ``request.aload_post_and_files()``; a sync middleware may
        read it directly.
        """
        return self._load_post_and_files()[0]

    @property
    def FILES(self) -> Files:
        """The files of a multipart POST, by field name: ``UploadedFile``s (see POST)."""
        return self._load_post_and_files()[1]

    async def aload_post_and_files(self) -> None:
        """Read a form body into ``request.POST`` and ``request.FILES``; a no-op once done.

        Within the limits: DATA_UPLOAD_MAX_MEMORY_SIZE for everything but the files (413),
        DATA_UPLOAD_MAX_NUMBER_FIELDS and DATA_UPLOAD_MAX_NUMBER_FILES (400); files larger
        than FILE_UPLOAD_MAX_MEMORY_SIZE go to temporary files. A malformed body is a 400.
        """
        if hasattr(self, "_post_and_files") or not self._has_form_body():
            return  # nothing to read: request.POST makes its empty QueryDict if ever read
        try:
            if self.content_type == _URLENCODED:
                fields = parse_urlencoded(await self.body(), self.encoding)
                self._post_and_files = (fields, MultiValueDict())
            else:
                parser = MultiPartParser(self.headers["content-type"], self.encoding)
                self._post_and_files = await parser.parse(self.stream())
        except BaseException:
            # Error pages that look at request.POST see it empty, as in Django.
            self._post_and_files = (QueryDict(), MultiValueDict())
            raise

    def _load_post_and_files(self) -> tuple[QueryDict, Files]:
        try:
            return self._post_and_files
        except AttributeError:
            pass
        if not self._has_form_body():
            self._post_and_files = (QueryDict(), MultiValueDict())
            return self._post_and_files
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a worker thread: have the event loop read the body
            anyio.from_thread.run(self.aload_post_and_files)
            return self._post_and_files
        raise SynchronousOnlyOperation(
            "request.POST and request.FILES are read before the view runs; code that runs "
            "earlier in an event loop (an async middleware) must first "
            "'await request.aload_post_and_files()', which reads the body without blocking."
        )

    def _has_form_body(self) -> bool:
        return self.method == "POST" and self.content_type in (_URLENCODED, _MULTIPART)

    @property
    def content_type(self) -> str:
        """The body's media type without parameters, e.g. ``"application/json"``."""
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()

    @property
    def content_params(self) -> dict[str, str]:
        """The parameters of the Content-Type header, e.g. ``{"charset": "utf-8"}``."""
        _, params = parse_options_header(self.headers.get("content-type", ""))
        return {key.decode("latin-1"): value.decode("latin-1") for key, value in params.items()}

    @property
    def encoding(self) -> str:
        """The charset form data is decoded with: the Content-Type's (if Python knows it),
        else DEFAULT_CHARSET."""
        charset = self.content_params.get("charset")
        if charset:
            try:
                return codecs.lookup(charset).name
            except LookupError:
                pass
        return settings.DEFAULT_CHARSET

    @property
    def COOKIES(self) -> dict[str, str]:
        """The cookies the client sent, by name (Starlette's ``request.cookies``)."""
        return self.cookies

    async def close(self) -> None:
        """Close uploaded files (deleting the temporary ones) and Starlette's parsed form."""
        if hasattr(self, "_post_and_files"):
            for _, upload in self._post_and_files[1].multi_items():
                upload.close()
        await super().close()

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
        """``request.POST`` and ``request.FILES`` as Starlette's FormData (files as its
        ``UploadFile``); ``await`` it, or ``async with`` to close the uploads at the end.

        The body is read as for ``request.POST``, within the same settings; the keyword
        limits, Starlette's, apply on top of them.
        """
        return _FormReader(self._read_form(max_files, max_fields, max_part_size))

    async def _read_form(
        self, max_files: int | float, max_fields: int | float, max_part_size: int
    ) -> FormData:
        await self.aload_post_and_files()
        fields, files = self._post_and_files
        field_items, file_items = fields.multi_items(), files.multi_items()
        if len(field_items) > max_fields:
            raise TooManyFieldsSent(f"The form has more than {max_fields} fields.")
        if len(file_items) > max_files:
            raise TooManyFilesSent(f"The form has more than {max_files} files.")
        if any(len(value.encode(self.encoding)) > max_part_size for _, value in field_items):
            raise RequestDataTooBig(f"A field of the form is over {max_part_size} bytes.")
        items: list[tuple[str, str | UploadFile]] = [*field_items]
        items.extend((name, _upload_file(upload)) for name, upload in file_items)
        return FormData(items)

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


def _upload_file(upload: UploadedFile) -> UploadFile:
    """Starlette's view of an uploaded file: the same file object, name and content type."""
    content_type = upload.content_type or "application/octet-stream"
    if upload.charset:
        content_type += f"; charset={upload.charset}"
    return UploadFile(
        cast("BinaryIO", upload.file),
        size=upload.size,
        filename=upload.name,
        headers=Headers({"content-type": content_type}),
    )


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
