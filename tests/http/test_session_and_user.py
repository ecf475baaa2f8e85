"""request.session, request.user and request.auser(): typed by Protocols, set by middleware."""

from __future__ import annotations

import httpx
import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.http import MiddlewareNotInstalled, RequestUser
from tests.handlers.support import SetSettings, aclient, set_settings
from tests.http.factory import make_request
from tests.http.session_and_user import DictSession, Visitor

__all__ = ["aclient", "set_settings"]

NO_SESSION = (
    "'djanco.contrib.sessions.middleware.SessionMiddleware' must be in MIDDLEWARE in order to "
    "use request.session (and 'djanco.contrib.sessions' in INSTALLED_APPS)."
)
NO_USER = (
    "'djanco.contrib.auth.middleware.AuthenticationMiddleware' must be in MIDDLEWARE, after "
    "SessionMiddleware, in order to use request.user (and 'djanco.contrib.auth' in "
    "INSTALLED_APPS)."
)


def test_reading_the_session_before_a_middleware_sets_it_says_what_to_install() -> None:
    request = make_request()

    with pytest.raises(MiddlewareNotInstalled) as info:
        request.session  # noqa: B018
    assert str(info.value) == NO_SESSION
    assert isinstance(info.value, ImproperlyConfigured)
    assert not hasattr(request, "session")  # an AttributeError, as in Django


async def test_reading_the_user_before_a_middleware_sets_it_says_what_to_install() -> None:
    request = make_request()

    for read in (lambda: request.user, lambda: request.auser):
        with pytest.raises(MiddlewareNotInstalled) as info:
            read()
        assert str(info.value) == NO_USER
    assert not hasattr(request, "user")


def test_a_middleware_sets_the_session_and_the_user() -> None:
    request = make_request()
    session, user = DictSession({"cart": [1]}), Visitor("ada")

    request.session = session
    request.user = user

    assert request.session is session
    assert request.session.get("cart") == [1]
    assert request.user is user
    assert request.user.is_authenticated


async def test_auser_awaits_the_loader_a_middleware_set() -> None:
    request = make_request()
    loaded: list[str] = []

    async def load() -> RequestUser:
        loaded.append("loaded")
        return Visitor("grace")

    request.auser = load
    user = await request.auser()

    assert (user.get_username(), loaded) == ("grace", ["loaded"])


async def test_auser_gives_the_user_set_directly() -> None:
    request = make_request()
    user = Visitor()
    request.user = user

    assert await request.auser() is user


@pytest.fixture
def signed_in(set_settings: SetSettings) -> None:
    set_settings(
        ROOT_URLCONF="tests.http.session_and_user",
        MIDDLEWARE=["tests.http.session_and_user.SignInFromHeader"],
    )


@pytest.mark.usefixtures("signed_in")
async def test_views_use_what_the_middleware_set(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/whoami/", headers={"X-User": "ada"})
    anonymous = await aclient.get("/whoami/")

    assert response.text == "ada visits=1"
    assert anonymous.text == "anonymous visits=1"


async def test_a_view_reading_the_session_without_its_middleware_fails_loudly(
    set_settings: SetSettings, aclient: httpx.AsyncClient
) -> None:
    set_settings(ROOT_URLCONF="tests.http.session_and_user", MIDDLEWARE=[], DEBUG=True)

    response = await aclient.get("/needs-session/")

    assert response.status_code == 500
    assert "MiddlewareNotInstalled" in response.text
