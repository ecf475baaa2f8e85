"""Cross Site Request Forgery protection, as in Django.

Each client gets a random secret, kept in a cookie (or in its session with
CSRF_USE_SESSIONS). Pages put the secret in their forms masked with a fresh random mask each
time (``{{ csrf_input }}``), so the page's bytes never repeat it (BREACH). A request with an
unsafe method (POST, PUT, PATCH, DELETE...) must come from a trusted origin and send the
secret back, masked or not, in the ``csrfmiddlewaretoken`` field or the X-CSRFToken header;
a page on another site can do neither.
"""

from __future__ import annotations

import inspect
import logging
import operator
import re
import secrets
import string
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

import anyio.from_thread

from djanco.conf import settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.http import HttpResponseBase, RequestSession
from djanco.middleware.base import GetResponse, Middleware, View
from djanco.templates import register_context_processor
from djanco.utils.cache import patch_vary_headers
from djanco.utils.flow import Call, Flow, arun
from djanco.utils.module_loading import import_setting_entry

if TYPE_CHECKING:
    from djanco.http import HttpRequest

__all__ = [
    "CSRF_SESSION_KEY",
    "REASON_BAD_ORIGIN",
    "REASON_BAD_REFERER",
    "REASON_CSRF_TOKEN_MISSING",
    "REASON_INSECURE_REFERER",
    "REASON_MALFORMED_REFERER",
    "REASON_NO_CSRF_COOKIE",
    "REASON_NO_REFERER",
    "CsrfProtection",
    "CsrfViewMiddleware",
    "get_token",
    "rotate_token",
]

logger = logging.getLogger("djanco.security.csrf")

# Django's reasons, word for word: the failure page shows them, and people search for them.
REASON_BAD_ORIGIN = "Origin checking failed - %s does not match any trusted origins."
REASON_NO_REFERER = "Referer checking failed - no Referer."
REASON_BAD_REFERER = "Referer checking failed - %s does not match any trusted origins."
REASON_NO_CSRF_COOKIE = "CSRF cookie not set."
REASON_CSRF_TOKEN_MISSING = "CSRF token missing."
REASON_MALFORMED_REFERER = "Referer checking failed - Referer is malformed."
REASON_INSECURE_REFERER = "Referer checking failed - Referer is insecure while host is secure."
_INCORRECT_LENGTH = "has incorrect length"
_INVALID_CHARACTERS = "has invalid characters"

CSRF_SECRET_LENGTH = 32
CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH
CSRF_ALLOWED_CHARS = string.ascii_letters + string.digits
CSRF_SESSION_KEY = "_csrftoken"
"""The session key of the secret, with CSRF_USE_SESSIONS."""
FORM_FIELD = "csrfmiddlewaretoken"
"""The name of the form field carrying the token."""

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_STATE = "djanco.csrf"  # the key of the request's CSRF state in its ASGI scope
DONT_ENFORCE_CHECKS = "djanco.dont_enforce_csrf_checks"
"""An ASGI scope key: when true, the checks pass (the test client sets it, as Django's does)."""
_ALLOWED = re.compile("[a-zA-Z0-9]*")
# Tables for bytes.translate, which masks and unmasks at C speed: a character to its index
# (0-61), to its index plus 62, and any number 0-255 to the character its value modulo 62
# picks; bytes 248-255 would favour the first eight characters when drawing a secret.
_CHARS = CSRF_ALLOWED_CHARS.encode("ascii")
_TO_INDEX = bytes.maketrans(_CHARS, bytes(range(62)))
_TO_INDEX_PLUS_62 = bytes.maketrans(_CHARS, bytes(range(62, 124)))
_MODULO_TO_CHAR = bytes(_CHARS[value % 62] for value in range(256))
_BIASED_BYTES = bytes(range(248, 256))


@dataclass(slots=True)
class _State:
    """What CSRF protection knows about one request, kept in its scope."""

    secret: str | None = None
    """The client's secret, once read or made."""
    needs_update: bool = False
    """Send the secret (again) with the response: it is new, or a page used it."""
    loaded: bool = False
    """Whether the secret was read from the cookie (or session) yet."""
    processing_done: bool = False
    """Whether the request passed the checks (the middleware and a decorator check once)."""


def get_token(request: HttpRequest) -> str:
    """The CSRF token for a form of this response: the client's secret, freshly masked.

    Makes a secret if the client has none; either way the response then sets the cookie (or
    session key), so the client keeps the secret the page relies on. ``{{ csrf_input }}``
    and ``{{ csrf_token }}`` call it when a template uses them.
    """
    state = _state(request)
    if state.secret is None:
        state.secret = _new_secret()
    state.needs_update = True
    return _mask(state.secret)


def rotate_token(request: HttpRequest) -> None:
    """Give the client a new secret (logging in does, so a token seen before is useless)."""
    state = _state(request)
    state.secret = _new_secret()
    state.needs_update = True


class CsrfProtection:
    """The checks of CsrfViewMiddleware for one view; the decorators of
    ``djanco.views.decorators.csrf`` run them around a single view.

    ``reject=False`` lets a failing request through (with the token still usable in its
    templates); ``ensure_cookie=True`` sends the cookie even if no template used the token.
    Each step is a flow (``djanco.utils.flow``), run sync around a ``def`` view and async
    around an ``async def`` one.
    """

    def __init__(self, *, reject: bool = True, ensure_cookie: bool = False) -> None:
        self.reject = reject
        self.ensure_cookie = ensure_cookie
        self._use_sessions = settings.CSRF_USE_SESSIONS
        self._cookie_name = settings.CSRF_COOKIE_NAME
        self._header = _header_key(settings.CSRF_HEADER_NAME)
        self._header_label = "-".join(part.capitalize() for part in self._header.split("-"))
        origins = [urlsplit(origin) for origin in settings.CSRF_TRUSTED_ORIGINS]
        self._trusted_exact = {
            origin for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin
        }
        self._trusted_subdomains = [
            (parts.scheme, parts.netloc.lstrip("*")) for parts in origins if "*" in parts.netloc
        ]
        self._trusted_hosts = [parts.netloc.lstrip("*") for parts in origins]

    def load(self, request: HttpRequest) -> Flow[None]:
        """Read the client's secret (a malformed one is replaced by a new one)."""
        state = _state(request)
        if state.loaded:
            return
        state.loaded = True
        if self._use_sessions:
            session = _session(request)
            stored = yield Call(session.get, session.aget, CSRF_SESSION_KEY)
            secret = stored if isinstance(stored, str) else None
        else:
            secret = request.cookies.get(self._cookie_name)
        if not secret or state.secret is not None:  # none, or rotate_token() ran already
            return
        if _format_error(secret) is not None:  # tampered with: start afresh
            state.secret = _new_secret()
            state.needs_update = True
        else:  # a masked secret is what cookies held before Django 4.1
            state.secret = _unmask(secret) if len(secret) == CSRF_TOKEN_LENGTH else secret

    def check(self, request: HttpRequest, view: View) -> Flow[HttpResponseBase | None]:
        """None when the request may reach ``view``, else the failure view's response."""
        yield from self.load(request)
        state = _state(request)
        if self.ensure_cookie:
            get_token(request)
        if state.processing_done or getattr(view, "csrf_exempt", False):
            return None
        if request.method in _SAFE_METHODS or request.scope.get(DONT_ENFORCE_CHECKS):
            state.processing_done = True
            return None
        reason = self._origin_failure(request)
        if reason is None:
            if request.method == "POST":
                yield Call(_read_post, _aread_post, request)
            reason = self._token_failure(request, state)
        if reason is None:
            state.processing_done = True
            return None
        if not self.reject:
            return None
        response: HttpResponseBase = yield Call(_fail, _afail, request, reason)
        logger.warning(
            "Forbidden (%s): %s",
            reason,
            request.path,
            extra={"status_code": 403, "request": request},
        )
        return response

    def finish(self, request: HttpRequest, response: HttpResponseBase) -> Flow[HttpResponseBase]:
        """Send the secret with ``response`` if it is new or a page used it."""
        state = _state(request)
        if not state.needs_update or state.secret is None:
            return response
        state.needs_update = False  # an outer CsrfViewMiddleware need not set it again
        if self._use_sessions:
            session = _session(request)
            stored = yield Call(session.get, session.aget, CSRF_SESSION_KEY)
            if stored != state.secret:
                yield Call(session.__setitem__, session.aset, CSRF_SESSION_KEY, state.secret)
            return response
        response.set_cookie(
            self._cookie_name,
            state.secret,
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        patch_vary_headers(response, ["Cookie"])
        return response

    def _origin_failure(self, request: HttpRequest) -> str | None:
        origin = request.headers.get("origin")
        if origin is not None:
            return None if self._origin_trusted(request, origin) else REASON_BAD_ORIGIN % origin
        if request.is_secure():
            # Without Origin, an HTTPS request must name a trusted page as its Referer: a
            # man-in-the-middle on plain HTTP could otherwise forge one with a token it saw.
            return self._referer_failure(request)
        return None

    def _origin_trusted(self, request: HttpRequest, origin: str) -> bool:
        if origin == f"{request.scheme}://{request.get_host()}" or origin in self._trusted_exact:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return any(
            scheme == parts.scheme and _is_same_domain(parts.netloc, host)
            for scheme, host in self._trusted_subdomains
        )

    def _referer_failure(self, request: HttpRequest) -> str | None:
        referer = request.headers.get("referer")
        if referer is None:
            return REASON_NO_REFERER
        try:
            parts: SplitResult = urlsplit(referer)
        except ValueError:
            return REASON_MALFORMED_REFERER
        if not parts.scheme or not parts.netloc:
            return REASON_MALFORMED_REFERER
        if parts.scheme != "https":
            return REASON_INSECURE_REFERER
        if any(_is_same_domain(parts.netloc, host) for host in self._trusted_hosts):
            return None
        good = settings.CSRF_COOKIE_DOMAIN if not self._use_sessions else None
        if good is None:
            good = request.get_host()
        else:
            port = request.url.port
            if port not in (None, 80, 443):
                good = f"{good}:{port}"
        if _is_same_domain(parts.netloc, good):
            return None
        return REASON_BAD_REFERER % parts.geturl()

    def _token_failure(self, request: HttpRequest, state: _State) -> str | None:
        if state.secret is None:
            # Insisting on the cookie defeats login CSRF too: a request without one is
            # refused even when it carries some token.
            return REASON_NO_CSRF_COOKIE
        token = request.POST.get(FORM_FIELD, "") if request.method == "POST" else ""
        source = "POST"
        if not token:
            header = request.headers.get(self._header)
            if header is None:
                return REASON_CSRF_TOKEN_MISSING
            token, source = header, f"the {self._header_label!r} HTTP header"
        error = _format_error(token)
        if error is not None:
            return f"CSRF token from {source} {error}."
        if len(token) == CSRF_TOKEN_LENGTH:
            token = _unmask(token)
        if not secrets.compare_digest(token, state.secret):
            return f"CSRF token from {source} incorrect."
        return None


class CsrfViewMiddleware(Middleware):
    """CSRF protection for every view not marked ``@csrf_exempt``: a request with an unsafe
    method from an untrusted origin, or without the client's token, gets the 403 of
    CSRF_FAILURE_VIEW; and responses whose page used the token set the CSRF cookie.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._protection = CsrfProtection()

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        await arun(self._protection.load(request))
        response = await self.get_response(request)
        if not _state(request).needs_update:  # the usual case: nothing to send
            return response
        return await arun(self._protection.finish(request, response))

    async def process_view(
        self,
        request: HttpRequest,
        view: View,
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponseBase | None:
        if request.method in _SAFE_METHODS:  # the usual case: nothing to check
            return None
        return await arun(self._protection.check(request, view))


class CsrfInput:
    """``{{ csrf_input }}``: the hidden input carrying the token, made when rendered."""

    __slots__ = ("_request",)

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __html__(self) -> str:
        token = get_token(self._request)
        return f'<input type="hidden" name="{FORM_FIELD}" value="{token}">'

    def __str__(self) -> str:
        return self.__html__()


class CsrfToken:
    """``{{ csrf_token }}``: the token alone (for a script or a meta tag), made when rendered."""

    __slots__ = ("_request",)

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __html__(self) -> str:
        return get_token(self._request)  # letters and digits: nothing to escape

    def __str__(self) -> str:
        return self.__html__()


def csrf(request: HttpRequest) -> dict[str, object]:
    """The context processor giving templates ``csrf_input`` and ``csrf_token``; both make
    the token only if the template uses them (so only such responses set the cookie)."""
    return {"csrf_input": CsrfInput(request), "csrf_token": CsrfToken(request)}


# -- helpers --------------------------------------------------------------------------------


def _state(request: HttpRequest) -> _State:
    state = request.scope.get(_STATE)
    if not isinstance(state, _State):
        state = request.scope[_STATE] = _State()
    return state


def _session(request: HttpRequest) -> RequestSession:
    try:
        return request.session
    except AttributeError:  # MiddlewareNotInstalled
        raise ImproperlyConfigured(
            "CSRF_USE_SESSIONS is on, but request.session is not set: SessionMiddleware must "
            "come before CsrfViewMiddleware in MIDDLEWARE."
        ) from None


def _new_secret() -> str:
    """32 random letters and digits, each equally likely."""
    secret = b""
    while len(secret) < CSRF_SECRET_LENGTH:
        # A byte below 248 (4 x 62) picks a character without favouring any; others are dropped.
        secret += secrets.token_bytes(40).translate(_MODULO_TO_CHAR, _BIASED_BYTES)
    return secret[:CSRF_SECRET_LENGTH].decode("ascii")


def _mask(secret: str) -> str:
    """``mask + cipher``: each character of the secret shifted by the mask's, modulo 62."""
    mask = _new_secret()
    shifted = map(operator.add, _indices(secret), _indices(mask))
    return mask + bytes(shifted).translate(_MODULO_TO_CHAR).decode("ascii")


def _unmask(token: str) -> str:
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    # 62 is added first so the difference stays positive (a byte), the same modulo 62.
    shifted = map(operator.sub, cipher.encode("ascii").translate(_TO_INDEX_PLUS_62), _indices(mask))
    return bytes(shifted).translate(_MODULO_TO_CHAR).decode("ascii")


def _indices(token: str) -> bytes:
    return token.encode("ascii").translate(_TO_INDEX)


def _format_error(token: str) -> str | None:
    """Why ``token`` (a secret, masked or not) cannot be one, or None."""
    if len(token) not in (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH):
        return _INCORRECT_LENGTH
    if _ALLOWED.fullmatch(token) is None:
        return _INVALID_CHARACTERS
    return None


def _is_same_domain(host: str, pattern: str) -> bool:
    """Django's rule: ``.example.com`` matches it and its subdomains, else equal (any case)."""
    host, pattern = host.lower(), pattern.lower()
    if pattern.startswith("."):
        return host.endswith(pattern) or host == pattern[1:]
    return host == pattern


def _header_key(name: str) -> str:
    # CSRF_HEADER_NAME may use Django's META spelling ("HTTP_X_CSRFTOKEN").
    return name.removeprefix("HTTP_").replace("_", "-").lower()


def _read_post(request: HttpRequest) -> None:
    # Sync: reading request.POST loads it (from a worker thread, through the event loop).
    request.POST.get(FORM_FIELD)


async def _aread_post(request: HttpRequest) -> None:
    await request.aload_post_and_files()


def _failure_view() -> View:
    view = import_setting_entry(settings.CSRF_FAILURE_VIEW, "CSRF_FAILURE_VIEW")
    if not callable(view):
        raise ImproperlyConfigured(
            f"CSRF_FAILURE_VIEW {settings.CSRF_FAILURE_VIEW!r} is not a view (not callable)."
        )
    return view


def _fail(request: HttpRequest, reason: str) -> HttpResponseBase:
    result = _failure_view()(request, reason=reason)
    if inspect.isawaitable(result):  # an async failure view, from a def view's thread
        result = anyio.from_thread.run(_await, result)
    return _as_response(result)


async def _afail(request: HttpRequest, reason: str) -> HttpResponseBase:
    result = _failure_view()(request, reason=reason)
    if inspect.isawaitable(result):
        result = await result
    return _as_response(result)


async def _await(awaitable: Awaitable[object]) -> object:
    return await awaitable


def _as_response(result: object) -> HttpResponseBase:
    if not isinstance(result, HttpResponseBase):
        raise TypeError(f"CSRF_FAILURE_VIEW returned {result!r}, not a response.")
    return result


register_context_processor("csrf", csrf)
