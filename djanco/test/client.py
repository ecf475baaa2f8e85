"""``Client`` and ``AsyncClient``: send requests straight to the ASGI app, no server needed."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import Self, Unpack

try:
    import httpx
except ImportError as exc:  # httpx is in the "test" extra, not needed to run a site
    raise ImportError(
        "Djanco's test clients need httpx; install it with: pip install 'djanco[test]'"
    ) from exc
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp, Receive, Scope, Send

from djanco.asgi import get_asgi_app
from djanco.test._requests import RequestData, RequestOptions, build_request

BASE_URL = "http://testserver"
"""Requests go to this origin; the pytest plugin adds ``testserver`` to ALLOWED_HOSTS."""


class _LazyApp:
    """The project's ASGI app, built (``get_asgi_app()``) on the first request."""

    def __init__(self, app: ASGIApp | None) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._app is None:
            self._app = get_asgi_app()
        await self._app(scope, receive, send)


def _asgi_transport(app: ASGIApp | None) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=_LazyApp(app), client=("127.0.0.1", 50000))


class _PortalTransport(httpx.BaseTransport):
    """Runs the async ASGI transport on an event loop in a helper thread, for sync code.

    Inside ``with Client():`` all requests share one loop, as in a server process;
    otherwise each request gets a short-lived loop.
    """

    def __init__(self, transport: httpx.ASGITransport) -> None:
        self._transport = transport
        self.portal: BlockingPortal | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.portal is not None:
            return self.portal.call(self._send, request)
        with start_blocking_portal() as portal:
            return portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._transport.handle_async_request(request)
        # Hand back the raw (maybe gzipped) bytes: the sync client decodes them itself.
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )


class Client:
    """A synchronous test client, like Django's; cookies persist between requests.

    ``app`` defaults to the project's (``djanco.asgi.get_asgi_app()``, built on the first
    request). Responses are ``httpx.Response``: ``status_code``, ``headers``, ``content``,
    ``text``, ``json()``, and ``history`` after ``follow=True``.
    """

    def __init__(
        self,
        app: ASGIApp | None = None,
        *,
        base_url: str = BASE_URL,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._transport = _PortalTransport(_asgi_transport(app))
        self._http = httpx.Client(transport=self._transport, base_url=base_url, headers=headers)
        self._loop_thread = ExitStack()

    @property
    def cookies(self) -> httpx.Cookies:
        """Cookies set by responses, sent back with later requests."""
        return self._http.cookies

    def request(
        self,
        method: str,
        path: str,
        data: RequestData | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Send a ``method`` request to ``path``; see the method helpers for ``data``."""
        request = build_request(self._http, method, path, data, **kwargs)
        return self._http.send(request, follow_redirects=kwargs.get("follow", False))

    def get(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """GET ``path``; a mapping ``data`` becomes the query string."""
        return self.request("GET", path, data, **kwargs)

    def head(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """HEAD ``path``; a mapping ``data`` becomes the query string."""
        return self.request("HEAD", path, data, **kwargs)

    def options(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """OPTIONS ``path``."""
        return self.request("OPTIONS", path, data, **kwargs)

    def post(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """POST ``path``; a mapping ``data`` is sent as a form, str/bytes as the raw body."""
        return self.request("POST", path, data, **kwargs)

    def put(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """PUT ``path``; ``data`` as for :meth:`post`."""
        return self.request("PUT", path, data, **kwargs)

    def patch(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """PATCH ``path``; ``data`` as for :meth:`post`."""
        return self.request("PATCH", path, data, **kwargs)

    def delete(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """DELETE ``path``; ``data`` as for :meth:`post`."""
        return self.request("DELETE", path, data, **kwargs)

    def close(self) -> None:
        """Stop the shared event loop (if any) and release the connection pool."""
        self._transport.portal = None
        self._loop_thread.close()
        self._http.close()

    def __enter__(self) -> Self:
        self._transport.portal = self._loop_thread.enter_context(start_blocking_portal())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient:
    """The asynchronous test client: the same methods as :class:`Client`, awaited."""

    def __init__(
        self,
        app: ASGIApp | None = None,
        *,
        base_url: str = BASE_URL,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            transport=_asgi_transport(app), base_url=base_url, headers=headers
        )

    @property
    def cookies(self) -> httpx.Cookies:
        """Cookies set by responses, sent back with later requests."""
        return self._http.cookies

    async def request(
        self,
        method: str,
        path: str,
        data: RequestData | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Send a ``method`` request to ``path``; see the method helpers for ``data``."""
        request = build_request(self._http, method, path, data, **kwargs)
        return await self._http.send(request, follow_redirects=kwargs.get("follow", False))

    async def get(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """GET ``path``; a mapping ``data`` becomes the query string."""
        return await self.request("GET", path, data, **kwargs)

    async def head(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """HEAD ``path``; a mapping ``data`` becomes the query string."""
        return await self.request("HEAD", path, data, **kwargs)

    async def options(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """OPTIONS ``path``."""
        return await self.request("OPTIONS", path, data, **kwargs)

    async def post(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """POST ``path``; a mapping ``data`` is sent as a form, str/bytes as the raw body."""
        return await self.request("POST", path, data, **kwargs)

    async def put(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """PUT ``path``; ``data`` as for :meth:`post`."""
        return await self.request("PUT", path, data, **kwargs)

    async def patch(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """PATCH ``path``; ``data`` as for :meth:`post`."""
        return await self.request("PATCH", path, data, **kwargs)

    async def delete(
        self, path: str, data: RequestData | None = None, **kwargs: Unpack[RequestOptions]
    ) -> httpx.Response:
        """DELETE ``path``; ``data`` as for :meth:`post`."""
        return await self.request("DELETE", path, data, **kwargs)

    async def aclose(self) -> None:
        """Release the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
