"""Deployment checks (``djanco check --deploy``) with Django's ``security.*`` ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.conf import DEV_SECRET_KEY_PREFIX, settings
from djanco.core.checks.messages import CheckMessage, Warning
from djanco.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from djanco.apps import AppConfig

SECURITY_MIDDLEWARE = "djanco.middleware.security.SecurityMiddleware"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def _has_security_middleware() -> bool:
    return SECURITY_MIDDLEWARE in settings.MIDDLEWARE


@register(Tags.security, deploy=True)
def check_security_middleware(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W001: without SecurityMiddleware, hosts are unchecked and no header is set."""
    if _has_security_middleware():
        return []
    return [
        Warning(
            f"You do not have '{SECURITY_MIDDLEWARE}' in your MIDDLEWARE, so the Host header is "
            "not checked against ALLOWED_HOSTS and the SECURE_* and X_FRAME_OPTIONS settings "
            "have no effect.",
            id="security.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_https(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W004: no HSTS; security.W008: no redirect to HTTPS."""
    if not _has_security_middleware():
        return []
    messages: list[CheckMessage] = []
    if not settings.SECURE_HSTS_SECONDS:
        messages.append(
            Warning(
                "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire "
                "site is served only over SSL, you may want to consider setting a value and "
                "enabling HTTP Strict Transport Security. Be sure to read the documentation "
                "first; enabling HSTS carelessly can cause serious, irreversible problems.",
                id="security.W004",
            )
        )
    if not settings.SECURE_SSL_REDIRECT:
        messages.append(
            Warning(
                "Your SECURE_SSL_REDIRECT setting is not set to True. Unless your site should be "
                "available over both SSL and non-SSL connections, you may want to either set "
                "this setting True or configure a load balancer or reverse-proxy server to "
                "redirect all connections to HTTPS.",
                id="security.W008",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W009: SECRET_KEY missing, short, repetitive, or the scaffold's development key."""
    key = settings.SECRET_KEY
    if (
        len(key) >= SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not key.startswith(DEV_SECRET_KEY_PREFIX)
    ):
        return []
    return [
        Warning(
            f"Your SECRET_KEY has less than {SECRET_KEY_MIN_LENGTH} characters, less than "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with "
            f"'{DEV_SECRET_KEY_PREFIX}' indicating that it was generated automatically by "
            "'djanco startproject'. Please generate a long and random value, otherwise many of "
            "Djanco's security-critical features will be vulnerable to attack.",
            hint='python -c "import secrets; print(secrets.token_urlsafe(50))"',
            id="security.W009",
        )
    ]


@register(Tags.security, deploy=True)
def check_debug(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W018: DEBUG is on."""
    if not settings.DEBUG:
        return []
    return [Warning("You should not have DEBUG set to True in deployment.", id="security.W018")]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W020: ALLOWED_HOSTS is empty (every request would get a 400)."""
    if settings.ALLOWED_HOSTS:
        return []
    return [Warning("ALLOWED_HOSTS must not be empty in deployment.", id="security.W020")]


@register(Tags.security, deploy=True)
def check_referrer_policy(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """security.W022: no Referrer-Policy header will be sent."""
    if not _has_security_middleware() or settings.SECURE_REFERRER_POLICY:
        return []
    return [
        Warning(
            "You have not set the SECURE_REFERRER_POLICY setting. Without this, your site will "
            "not send a Referrer-Policy header. You should consider enabling this header to "
            "protect user privacy.",
            id="security.W022",
        )
    ]
