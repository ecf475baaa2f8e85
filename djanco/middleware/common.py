"""CommonMiddleware: APPEND_SLASH, redirecting ``/about`` to ``/about/`` when only that exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.http import HttpResponsePermanentRedirect
from djanco.middleware.base import GetResponse, Middleware
from djanco.urls import Resolver404, get_resolver

if TYPE_CHECKING:
    from djanco.http import HttpRequest, HttpResponseBase


class CommonMiddleware(Middleware):
    """With APPEND_SLASH, a GET or HEAD answered 404 whose path lacks a trailing slash is
    redirected (301) to the path with the slash if that resolves. Other methods are not
    redirected: a browser would turn a redirected POST into a GET and lose its body.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._append_slash = settings.APPEND_SLASH
        self._urlconf = settings.ROOT_URLCONF

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = await self.get_response(request)
        # Only 404s pay for the extra resolving, so the hot path costs one comparison.
        if response.status_code == 404 and self._append_slash and self._wants_slash(request):
            url = request.get_full_path(force_append_slash=True)
            if url.startswith("//"):  # "//evil.com/" would be a protocol-relative redirect
                url = "/%2F" + url[2:]
            return HttpResponsePermanentRedirect(url)
        return response

    def _wants_slash(self, request: HttpRequest) -> bool:
        path = request.path_info
        if path.endswith("/") or request.method not in ("GET", "HEAD"):
            return False
        return not self._resolves(path) and self._resolves(path + "/")

    def _resolves(self, path: str) -> bool:
        try:
            get_resolver(self._urlconf).resolve(path)
        except Resolver404:
            return False
        return True
