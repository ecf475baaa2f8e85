"""Static checks of request.session, request.user and request.auser() (mypy and pyright).

Never run: the checkers read it. A model with the auth app's fields satisfies RequestUser.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_type

from djanco.db import models
from djanco.http import HttpRequest, RequestSession, RequestUser


class Member(models.Model):
    username = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_superuser = models.BooleanField(default=False)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_username(self) -> str:
        return self.username

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_superuser

    def has_perms(self, perm_list: Iterable[str], obj: object = None) -> bool:
        return self.is_superuser

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_superuser

    async def ahas_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_superuser

    async def ahas_perms(self, perm_list: Iterable[str], obj: object = None) -> bool:
        return self.is_superuser

    async def ahas_module_perms(self, app_label: str) -> bool:
        return self.is_superuser


class Guest(models.Model):
    """Not a user: it lacks the permission methods."""

    name = models.CharField(max_length=150)


async def check_request(request: HttpRequest, member: Member, guest: Guest) -> None:
    assert_type(request.session, RequestSession)
    assert_type(request.session.get("cart"), object)
    assert_type(await request.session.aget("cart"), object)
    assert_type(request.session.session_key, str | None)
    assert_type(request.user, RequestUser)
    assert_type(request.user.is_authenticated, bool)
    assert_type(await request.auser(), RequestUser)
    assert_type(await request.user.ahas_perm("blog.add_post"), bool)

    request.session.modified = True
    request.user = member
    request.user = guest  # type: ignore[assignment]


def check_session_is_not_a_dict(request: HttpRequest) -> None:
    request.session = {"cart": []}  # type: ignore[assignment]
