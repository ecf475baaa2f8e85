"""What ``request.session`` and ``request.user`` offer: Protocols the sessions and auth apps
implement, so the HTTP layer (and any view) types them without importing contrib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, KeysView
from typing import Generic, Protocol, Self, TypeVar, overload

from djanco.core.exceptions import ImproperlyConfigured

__all__ = ["MiddlewareNotInstalled", "RequestSession", "RequestUser", "SetByMiddleware"]

_V = TypeVar("_V")


class MiddlewareNotInstalled(ImproperlyConfigured, AttributeError):
    """``request.session`` or ``request.user`` was read, but no middleware had set it.

    An AttributeError too, so ``hasattr(request, "user")`` is False, as in Django.
    """


class SetByMiddleware(Generic[_V]):
    """A request attribute that a middleware sets; reading it before raises
    MiddlewareNotInstalled with the message given (which says what to install)."""

    def __init__(self, missing: str) -> None:
        self._missing = missing
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type) -> _V: ...
    def __get__(self, instance: object | None, owner: type) -> Self | _V:
        if instance is None:
            return self
        try:
            value: _V = instance.__dict__[self._name]
        except KeyError:
            raise MiddlewareNotInstalled(self._missing) from None
        return value

    def __set__(self, instance: object, value: _V) -> None:
        instance.__dict__[self._name] = value


class RequestSession(Protocol):
    """The session of the request's client: a dict-like store kept between requests.

    Values must be serialisable by the session backend (JSON for the default one). As in
    Django, the ``a``-prefixed methods are for async code: they may load the session from
    its store without blocking the event loop.
    """

    @property
    def session_key(self) -> str | None:
        """The key identifying this session in its store; None until it is saved."""
        ...

    modified: bool
    """Whether the session changed during the request (set it after mutating a value in
    place, so the middleware saves it)."""

    def __contains__(self, key: str) -> bool: ...
    def __getitem__(self, key: str) -> object: ...
    def __setitem__(self, key: str, value: object) -> None: ...
    def __delitem__(self, key: str) -> None: ...
    def get(self, key: str, default: object = None) -> object: ...
    def pop(self, key: str, default: object = ...) -> object: ...
    def setdefault(self, key: str, value: object) -> object: ...
    def keys(self) -> KeysView[str]: ...
    def is_empty(self) -> bool: ...
    def clear(self) -> None: ...
    def flush(self) -> None:
        """Delete the session's data and its key (what logging out does)."""
        ...

    def cycle_key(self) -> None:
        """Keep the data under a new key (what logging in does, against session fixation)."""
        ...

    def set_expiry(self, value: int | dt.datetime | dt.timedelta | None) -> None: ...
    def get_expiry_age(self) -> int: ...
    async def aget(self, key: str, default: object = None) -> object: ...
    async def aset(self, key: str, value: object) -> None: ...
    async def apop(self, key: str, default: object = ...) -> object: ...
    async def asetdefault(self, key: str, value: object) -> object: ...
    async def akeys(self) -> KeysView[str]: ...
    async def aflush(self) -> None: ...
    async def acycle_key(self) -> None: ...
    async def aset_expiry(self, value: int | dt.datetime | dt.timedelta | None) -> None: ...


class RequestUser(Protocol):
    """The user making the request: a user of the auth app, or the anonymous user.

    Only what both have: the user model's own fields (``is_staff``, ``email``...) are read
    after narrowing, e.g. ``if isinstance(request.user, User)``.
    """

    @property
    def pk(self) -> object:
        """The user's primary key; None for the anonymous user."""
        ...

    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_username(self) -> str: ...
    def has_perm(self, perm: str, obj: object = None) -> bool: ...
    def has_perms(self, perm_list: Iterable[str], obj: object = None) -> bool: ...
    def has_module_perms(self, app_label: str) -> bool: ...
    async def ahas_perm(self, perm: str, obj: object = None) -> bool: ...
    async def ahas_perms(self, perm_list: Iterable[str], obj: object = None) -> bool: ...
    async def ahas_module_perms(self, app_label: str) -> bool: ...
