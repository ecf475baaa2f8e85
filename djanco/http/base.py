"""HttpResponseBase: status, headers and cookies shared by every Djanco response."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import ClassVar

from starlette.responses import Response

from djanco.conf import settings
from djanco.http.cookies import EPOCH_EXPIRES, build_cookie


class BadHeaderError(ValueError):
    """A header would be unsafe to send: a newline in it (header injection) or non-latin-1."""


class HttpResponseBase(Response):
    """Status, headers and cookies shared by every Djanco response.

    A Starlette Response, so the handler sends it with ``await response(scope, receive,
    send)``. Headers are read and written Django-style: ``response["Content-Type"]``,
    ``"Vary" in response``, ``del response["X-Foo"]``. Subclasses set ``status_code``.
    """

    status_code: int = 200
    streaming: ClassVar[bool] = False
    """True for responses whose body is an iterator (``streaming_content``), not ``content``."""

    _cookies: SimpleCookie | None = None

    def __init__(
        self,
        content_type: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        if status is not None:
            self.status_code = status
        self.charset = charset or settings.DEFAULT_CHARSET
        self.background = None
        raw: list[tuple[bytes, bytes]] = []
        if headers:
            given = {name.lower() for name in headers}
            if content_type is not None and "content-type" in given:
                raise ValueError(
                    "'headers' must not contain 'Content-Type' when the "
                    "'content_type' parameter is provided."
                )
            raw.extend(_encode_header(name, value) for name, value in headers.items())
            if "content-type" in given:
                content_type = ""
        if content_type is None:
            content_type = f"text/html; charset={self.charset}"
        if content_type:
            raw.append((b"content-type", content_type.encode("latin-1")))
        self.raw_headers = raw

    # Header access, Django-style. ``self.headers`` (Starlette's MutableHeaders) is a view
    # over ``raw_headers``; both stay valid because the list is only ever mutated in place.

    def __getitem__(self, header: str) -> str:
        return self.headers[header]

    def __setitem__(self, header: str, value: str) -> None:
        _encode_header(header, value)
        self.headers[header] = value

    def __delitem__(self, header: str) -> None:
        del self.headers[header]

    def __contains__(self, header: str) -> bool:
        return header in self.headers

    def has_header(self, header: str) -> bool:
        """Whether ``header`` is set (case-insensitive)."""
        return header in self.headers

    def get(self, header: str, alternate: str | None = None) -> str | None:
        """The header's value, or ``alternate`` when it is not set."""
        return self.headers.get(header, alternate)

    def setdefault(self, header: str, value: str) -> None:
        """Set ``header`` unless it is already set."""
        if header not in self.headers:
            self[header] = value

    def items(self) -> list[tuple[str, str]]:
        """Every ``(name, value)`` header pair, names lower-cased."""
        return self.headers.items()

    @property
    def reason_phrase(self) -> str:
        """The status code's standard phrase, e.g. ``"Not Found"``."""
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return "Unknown Status Code"

    @property
    def cookies(self) -> SimpleCookie:
        """The cookies set on this response (read them; change them with set_cookie)."""
        if self._cookies is None:
            self._cookies = SimpleCookie()
        return self._cookies

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: float | timedelta | None = None,
        expires: datetime | str | int | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Set a cookie, replacing an earlier one of the same name on this response.

        ``expires`` may be a datetime (naive means UTC) or an HTTP date string; ``max_age``
        is seconds or a timedelta; ``samesite`` is ``"Lax"``, ``"Strict"`` or ``"None"``.
        """
        morsel = build_cookie(
            self.cookies,
            key,
            value,
            max_age=max_age,
            expires=expires,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )
        header = morsel.OutputString()
        if partitioned:  # http.cookies knows "Partitioned" only from Python 3.14
            header += "; Partitioned"
        prefix = morsel.key.encode("latin-1") + b"="
        self.raw_headers[:] = [
            (name, value_)
            for name, value_ in self.raw_headers
            if not (name == b"set-cookie" and value_.startswith(prefix))
        ]
        self.raw_headers.append((b"set-cookie", header.encode("latin-1")))

    def delete_cookie(
        self,
        key: str,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Tell the client to drop cookie ``key`` (path and domain must match how it was set)."""
        # Browsers ignore a __Secure-/__Host- or SameSite=None cookie that is not Secure.
        secure = (
            secure
            or key.startswith(("__Secure-", "__Host-"))
            or (samesite is not None and samesite.lower() == "none")
        )
        self.set_cookie(
            key,
            max_age=0,
            expires=EPOCH_EXPIRES,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    def __repr__(self) -> str:
        content_type = self.get("content-type", "")
        return f'<{type(self).__name__} status_code={self.status_code}, "{content_type}">'


def _encode_header(name: str, value: str) -> tuple[bytes, bytes]:
    if "\n" in value or "\r" in value or "\n" in name or "\r" in name:
        raise BadHeaderError(f"Header values can't contain newlines (got {name!r}: {value!r})")
    try:
        return name.lower().encode("latin-1"), value.encode("latin-1")
    except UnicodeEncodeError:
        raise BadHeaderError(
            f"Header {name!r} must be latin-1 text; encode {value!r} first (e.g. URL-quote it)"
        ) from None
