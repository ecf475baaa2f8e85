"""HTTP responses with Django's names, built on Starlette's Response so ASGI can send them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar, TypedDict
from urllib.parse import quote, urlsplit

from djanco.core.exceptions import SuspiciousOperation
from djanco.http.base import BadHeaderError, HttpResponseBase
from djanco.http.encoders import DjancoJSONEncoder
from djanco.http.streaming import FileResponse, StreamingHttpResponse

if TYPE_CHECKING:
    from djanco.utils.functional import LazyStr

Content = str | bytes | bytearray | memoryview
"""What a response body may be given as; ``str`` is encoded with the response's charset."""

# Characters kept as they are when an IRI is turned into a URI (Django's iri_to_uri set).
_URI_SAFE = "/#%[]=:;$&()+,!?*@'~"


class DisallowedRedirect(SuspiciousOperation):
    """A redirect to a URL whose scheme is not allowed (e.g. ``javascript:``)."""


class HttpResponse(HttpResponseBase):
    """A response whose whole body is in memory: ``HttpResponse("Hello", status=201)``."""

    def __init__(
        self,
        content: Content | Iterable[Content] = b"",
        content_type: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        super().__init__(content_type, status, headers, charset)
        if headers:  # may carry a Content-Length of its own: replace it, never duplicate
            self._set_body(content)
            return
        self.body = _to_bytes(content, self.charset)
        if self._has_body_length():
            self.raw_headers.append((b"content-length", str(len(self.body)).encode("latin-1")))

    @property
    def content(self) -> bytes:
        """The body as bytes; assigning a str or bytes replaces it and Content-Length."""
        return bytes(self.body)

    @content.setter
    def content(self, value: Content) -> None:
        self._set_body(value)

    @property
    def text(self) -> str:
        """The body decoded with the response's charset."""
        return self.content.decode(self.charset)

    def write(self, content: Content) -> None:
        """Append to the body, as with a file."""
        self.content = self.content + _to_bytes(content, self.charset)

    def _set_body(self, value: Content | Iterable[Content]) -> None:
        self.body = _to_bytes(value, self.charset)
        if self._has_body_length():
            self.headers["content-length"] = str(len(self.body))

    def _has_body_length(self) -> bool:
        return not (self.status_code < 200 or self.status_code in (204, 304))


def _to_bytes(value: object, charset: str) -> bytes:
    """Django's rules for a body: bytes as they are, str encoded, an iterable of chunks
    joined (and closed), anything else (a number, say) as its ``str()``."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode(charset)
    if isinstance(value, Iterable):
        try:
            return b"".join(_to_bytes(chunk, charset) for chunk in value)
        finally:
            close = getattr(value, "close", None)
            if callable(close):
                close()
    return str(value).encode(charset)


class JsonDumpsParams(TypedDict, total=False):
    """Keyword arguments JsonResponse passes on to ``json.dumps``."""

    skipkeys: bool
    ensure_ascii: bool
    check_circular: bool
    allow_nan: bool
    indent: int | str | None
    separators: tuple[str, str] | None
    sort_keys: bool


class JsonResponse(HttpResponse):
    """``data`` serialised as JSON (``application/json``).

    Only a dict is accepted unless ``safe=False``, as in Django: a top-level list is a
    deliberate choice.
    """

    def __init__(
        self,
        data: object,
        encoder: type[json.JSONEncoder] = DjancoJSONEncoder,
        safe: bool = True,
        json_dumps_params: JsonDumpsParams | None = None,
        *,
        content_type: str = "application/json",
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        if safe and not isinstance(data, dict):
            raise TypeError(
                "In order to allow non-dict objects to be serialized set the safe parameter "
                f"to False (got {type(data).__name__})."
            )
        content = json.dumps(data, cls=encoder, **(json_dumps_params or {}))
        super().__init__(content, content_type, status, headers, charset)


class HttpResponseRedirectBase(HttpResponse):
    """A redirect to ``redirect_to``, available as ``.url``; unsafe schemes are refused."""

    allowed_schemes: ClassVar[tuple[str, ...]] = ("http", "https", "ftp")

    def __init__(
        self,
        redirect_to: str | LazyStr,
        content: Content = b"",
        content_type: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        super().__init__(content, content_type, status, headers, charset)
        location = str(redirect_to)
        scheme = urlsplit(location).scheme
        if scheme and scheme not in self.allowed_schemes:
            raise DisallowedRedirect(f"Unsafe redirect to URL with protocol {scheme!r}")
        self["Location"] = quote(location, safe=_URI_SAFE)

    @property
    def url(self) -> str:
        """Where the client is sent (the Location header)."""
        return self["Location"]


class HttpResponseRedirect(HttpResponseRedirectBase):
    """302 Found."""

    status_code = 302


class HttpResponsePermanentRedirect(HttpResponseRedirectBase):
    """301 Moved Permanently."""

    status_code = 301


class HttpResponseNotModified(HttpResponse):
    """304 Not Modified: no body and no Content-Type."""

    status_code = 304

    def __init__(
        self, *, headers: Mapping[str, str] | None = None, charset: str | None = None
    ) -> None:
        super().__init__(b"", headers=headers, charset=charset)
        del self["content-type"]


class HttpResponseBadRequest(HttpResponse):
    """400 Bad Request."""

    status_code = 400


class HttpResponseForbidden(HttpResponse):
    """403 Forbidden."""

    status_code = 403


class HttpResponseNotFound(HttpResponse):
    """404 Not Found."""

    status_code = 404


class HttpResponseNotAllowed(HttpResponse):
    """405 Method Not Allowed, with the permitted methods in the ``Allow`` header."""

    status_code = 405

    def __init__(
        self,
        permitted_methods: Iterable[str],
        content: Content = b"",
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        super().__init__(content, content_type, None, headers, charset)
        self["Allow"] = ", ".join(method.upper() for method in permitted_methods)


class HttpResponseGone(HttpResponse):
    """410 Gone."""

    status_code = 410


class HttpResponseServerError(HttpResponse):
    """500 Internal Server Error."""

    status_code = 500


__all__ = [
    "BadHeaderError",
    "Content",
    "DisallowedRedirect",
    "FileResponse",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonDumpsParams",
    "JsonResponse",
    "StreamingHttpResponse",
]
