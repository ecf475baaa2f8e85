"""SecurityMiddleware: Host validation, HTTPS redirect and the security response headers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.exceptions import DisallowedHost
from djanco.http import HttpResponsePermanentRedirect
from djanco.middleware.base import GetResponse, Middleware
from djanco.views.errors import response_for_exception

if TYPE_CHECKING:
    from djanco.http import HttpRequest, HttpResponseBase

# Django's: a lower-cased DNS name or bracketed IPv6 address, then an optional port.
_HOST_RE = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?")
_DEBUG_HOSTS = (".localhost", "127.0.0.1", "[::1]")
_MAX_CACHED_HOSTS = 1024


class SecurityMiddleware(Middleware):
    """Checks the Host against ALLOWED_HOSTS (else 400), redirects to HTTPS when
    SECURE_SSL_REDIRECT, and sets nosniff, Referrer-Policy, X-Frame-Options,
    Cross-Origin-Opener-Policy and (on HTTPS) HSTS unless the response already has them.

    With DEBUG and an empty ALLOWED_HOSTS, localhost, 127.0.0.1 and [::1] are allowed.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        hosts = settings.ALLOWED_HOSTS
        self._allowed_hosts = tuple(hosts or (_DEBUG_HOSTS if settings.DEBUG else ()))
        self._valid_hosts: set[str] = set()  # hosts already accepted: the common case is a hit
        self._headers = _response_headers()
        self._header_names = frozenset(name for name, _ in self._headers)
        self._hsts = _hsts_value()
        self._ssl_redirect = settings.SECURE_SSL_REDIRECT
        self._ssl_host = settings.SECURE_SSL_HOST
        self._redirect_exempt = tuple(re.compile(rx) for rx in settings.SECURE_REDIRECT_EXEMPT)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        host = request.get_host()
        response: HttpResponseBase
        if host not in self._valid_hosts and (error := self._host_error(host)) is not None:
            # Answered here rather than raised, so the 400 page gets the headers below too.
            response = await response_for_exception(request, error)
        elif self._ssl_redirect and not request.is_secure() and self._should_redirect(request):
            response = HttpResponsePermanentRedirect(
                f"https://{self._ssl_host or host}{request.get_full_path()}"
            )
        else:
            response = await self.get_response(request)
        raw = response.raw_headers
        present = {name for name, _ in raw}
        if present.isdisjoint(self._header_names):  # the usual case: add them all
            raw.extend(self._headers)
        elif not self._header_names <= present:
            raw.extend(header for header in self._headers if header[0] not in present)
        if (
            self._hsts is not None
            and b"strict-transport-security" not in present
            and request.is_secure()
        ):
            raw.append((b"strict-transport-security", self._hsts))
        return response

    def _host_error(self, host: str) -> DisallowedHost | None:
        """Why ``host`` is refused, or None (then it is remembered as valid)."""
        match = _HOST_RE.fullmatch(host.lower())
        if match is None:
            return DisallowedHost(
                f"Invalid HTTP_HOST header: {host!r}. The domain name provided is not valid "
                "according to RFC 1034/1035."
            )
        domain = match[1].removesuffix(".")
        if not any(_host_matches(domain, pattern) for pattern in self._allowed_hosts):
            return DisallowedHost(
                f"Invalid HTTP_HOST header: {host!r}. You may need to add {domain!r} to "
                "ALLOWED_HOSTS."
            )
        if len(self._valid_hosts) < _MAX_CACHED_HOSTS:
            self._valid_hosts.add(host)
        return None

    def _should_redirect(self, request: HttpRequest) -> bool:
        path = request.path.lstrip("/")
        return not any(pattern.search(path) for pattern in self._redirect_exempt)


def _host_matches(domain: str, pattern: str) -> bool:
    """Django's rule: ``*`` matches anything, ``.example.com`` the domain and its subdomains."""
    pattern = pattern.lower()
    if pattern == "*" or pattern == domain:
        return True
    return pattern.startswith(".") and (domain.endswith(pattern) or domain == pattern[1:])


def _response_headers() -> tuple[tuple[bytes, bytes], ...]:
    headers: list[tuple[bytes, bytes]] = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append((b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode("latin-1")))
    if settings.X_FRAME_OPTIONS:
        headers.append((b"x-frame-options", settings.X_FRAME_OPTIONS.upper().encode("latin-1")))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        coop = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode("latin-1")
        headers.append((b"cross-origin-opener-policy", coop))
    return tuple(headers)


def _hsts_value() -> bytes | None:
    if not settings.SECURE_HSTS_SECONDS:
        return None
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value.encode("latin-1")
