"""A session and users as the sessions and auth apps will provide them, and a middleware and
views using them only through the Protocols of djanco.http."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, KeysView

from djanco.http import HttpRequest, HttpResponse, HttpResponseBase, RequestSession, RequestUser
from djanco.middleware.base import Middleware
from djanco.urls import path

_NOT_GIVEN = object()


class DictSession:
    """An in-memory session with the API RequestSession describes."""

    def __init__(self, data: dict[str, object] | None = None) -> None:
        self._data = dict(data or {})
        self._key: str | None = "key-1"
        self.modified = False
        self._expiry: int | dt.datetime | dt.timedelta | None = None

    @property
    def session_key(self) -> str | None:
        return self._key

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __setitem__(self, key: str, value: object) -> None:
        self._data[key] = value
        self.modified = True

    def __delitem__(self, key: str) -> None:
        del self._data[key]
        self.modified = True

    def get(self, key: str, default: object = None) -> object:
        return self._data.get(key, default)

    def pop(self, key: str, default: object = _NOT_GIVEN) -> object:
        self.modified = self.modified or key in self._data
        if default is _NOT_GIVEN:
            return self._data.pop(key)
        return self._data.pop(key, default)

    def setdefault(self, key: str, value: object) -> object:
        if key not in self._data:
            self[key] = value
        return self._data[key]

    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def is_empty(self) -> bool:
        return not self._data and self._key is None

    def clear(self) -> None:
        self._data.clear()
        self.modified = True

    def flush(self) -> None:
        self.clear()
        self._key = None

    def cycle_key(self) -> None:
        self._key = f"{self._key}-cycled"

    def set_expiry(self, value: int | dt.datetime | dt.timedelta | None) -> None:
        self._expiry = value

    def get_expiry_age(self) -> int:
        return self._expiry if isinstance(self._expiry, int) else 1209600

    async def aget(self, key: str, default: object = None) -> object:
        return self.get(key, default)

    async def aset(self, key: str, value: object) -> None:
        self[key] = value

    async def apop(self, key: str, default: object = _NOT_GIVEN) -> object:
        return self.pop(key, default)

    async def asetdefault(self, key: str, value: object) -> object:
        return self.setdefault(key, value)

    async def akeys(self) -> KeysView[str]:
        return self.keys()

    async def aflush(self) -> None:
        self.flush()

    async def acycle_key(self) -> None:
        self.cycle_key()

    async def aset_expiry(self, value: int | dt.datetime | dt.timedelta | None) -> None:
        self.set_expiry(value)


class Visitor:
    """A user with the API RequestUser describes: anonymous, or signed in as ``name``."""

    def __init__(self, name: str | None = None, *, staff: bool = False) -> None:
        self._name = name
        self.is_staff = staff

    @property
    def pk(self) -> object:
        return None if self._name is None else 1

    @property
    def is_authenticated(self) -> bool:
        return self._name is not None

    @property
    def is_anonymous(self) -> bool:
        return self._name is None

    def get_username(self) -> str:
        return self._name or ""

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: Iterable[str], obj: object = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    async def ahas_perm(self, perm: str, obj: object = None) -> bool:
        return self.has_perm(perm, obj)

    async def ahas_perms(self, perm_list: Iterable[str], obj: object = None) -> bool:
        return self.has_perms(perm_list, obj)

    async def ahas_module_perms(self, app_label: str) -> bool:
        return self.has_module_perms(app_label)


class SignInFromHeader(Middleware):
    """Sets ``request.session``, and ``request.auser`` from an ``X-User`` header, the way the
    sessions and auth apps' middleware will."""

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session: RequestSession = DictSession({"visits": 1})
        request.session = session
        name = request.headers.get("x-user")

        async def load_user() -> RequestUser:
            return Visitor(name)

        request.auser = load_user
        return await self.get_response(request)


async def whoami(request: HttpRequest) -> HttpResponse:
    user = await request.auser()
    visits = await request.session.aget("visits")
    return HttpResponse(f"{user.get_username() or 'anonymous'} visits={visits}")


def needs_session(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(request.session.get("visits")))


urlpatterns = [path("whoami/", whoami), path("needs-session/", needs_session)]
