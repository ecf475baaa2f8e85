"""The typed, validated Settings model and its defaults (Django's, where Django has one)."""

from __future__ import annotations

import codecs
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, NotRequired, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from typing_extensions import TypedDict  # pydantic needs it rather than typing's before 3.12

from djanco.conf.signals import notify_setting_changed
from djanco.utils.csp import CSPValue
from djanco.utils.suggest import did_you_mean

DEV_SECRET_KEY_PREFIX = "djanco-insecure-"
"""Start of the development key ``djanco startproject`` writes; refused when DEBUG is off."""


def _check_assignable(model: BaseModel, name: str, what: str) -> None:
    if not name.startswith("_") and name not in type(model).model_fields:
        hint = did_you_mean(name, type(model).model_fields)
        raise AttributeError(f"Unknown {what} {name!r}.{hint}")


class _TemplatesPart(BaseModel):
    """A part of TEMPLATES: unknown keys are refused, and assigning a key validates the value
    and tells ``on_setting_changed`` listeners that TEMPLATES changed."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    _what: ClassVar[str]
    """How an unknown key is named in the error."""

    if not TYPE_CHECKING:  # hidden from type checkers, which would then allow any attribute

        def __setattr__(self, name: str, value: object) -> None:
            _check_assignable(self, name, self._what)
            super().__setattr__(name, value)
            if not name.startswith("_"):
                notify_setting_changed("TEMPLATES")


class TemplateOptions(_TemplatesPart):
    """``TEMPLATES["OPTIONS"]``: how templates are rendered."""

    _what = "TEMPLATES OPTIONS key"

    context_processors: list[str] = Field(default_factory=list)
    """Dotted paths of functions taking the request and returning a dict: every template
    rendered with a request sees its items (the view's own context wins on a clash)."""
    undefined: str | None = None
    """Dotted path of the ``jinja2.Undefined`` subclass a template gets for a variable it was
    not given. By default ``djanco.templates.StrictUndefined`` with DEBUG (using it raises,
    naming the template and line) and ``jinja2.Undefined`` without (it renders as "")."""


class TemplateSettings(_TemplatesPart):
    """The ``TEMPLATES`` setting: where the Jinja2 environment looks for templates."""

    _what = "TEMPLATES key"

    DIRS: list[Path] = Field(default_factory=list)
    """Project template directories, searched first, in order."""
    APP_DIRS: bool = True
    """Also search each installed app's ``templates/`` folder, in INSTALLED_APPS order."""
    OPTIONS: TemplateOptions = Field(default_factory=TemplateOptions)


class StorageSettings(TypedDict):
    """One entry of ``STORAGES``: the storage class and the keyword arguments it is made with."""

    BACKEND: str
    OPTIONS: NotRequired[dict[str, object]]


_STORAGES: dict[str, StorageSettings] = {
    "staticfiles": {"BACKEND": "djanco.contrib.staticfiles.storage.StaticFilesStorage"}
}


LOCMEM_CACHE_BACKEND = "djanco.core.cache.backends.locmem.LocMemCache"


class CacheSettings(BaseModel):
    """One entry of ``CACHES``: the backend, where it stores, and how keys and timeouts are made."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    BACKEND: str
    """Dotted path of the cache class, e.g. ``"djanco.core.cache.backends.redis.RedisCache"``."""
    LOCATION: str | list[str] = ""
    """Backend-specific: a Redis URL (or several, the first for writes), a table name, or the
    name of a local-memory cache (caches with the same name share their entries)."""
    TIMEOUT: float | None = 300
    """Default lifetime of an entry in seconds; None keeps entries until evicted."""
    KEY_PREFIX: str = ""
    """Put in front of every key (through KEY_FUNCTION), so sites can share one server."""
    VERSION: int = 1
    """Default version of keys; bumping it invalidates every entry at once."""
    KEY_FUNCTION: str | Callable[[str, str, int], str] | None = None
    """``f(key, key_prefix, version)`` making the stored key (a callable or its dotted path);
    default ``"prefix:version:key"``."""
    OPTIONS: dict[str, object] = Field(default_factory=dict)
    """Passed to the backend: ``MAX_ENTRIES`` and ``CULL_FREQUENCY`` (local memory and
    database), connection options of redis-py (Redis)."""


class Settings(BaseModel):
    """Every setting Djanco knows; unknown names are rejected, values are validated.

    Assigning to a field validates the value and tells ``on_setting_changed`` listeners.
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    # Core
    DEBUG: bool = False
    SECRET_KEY: str = Field(default="", repr=False)
    """Signs cookies and tokens; must be long, random and secret in production."""
    SECRET_KEY_FALLBACKS: list[str] = Field(default_factory=list, repr=False)
    """Earlier secret keys, still accepted when checking signatures (key rotation); never shown."""
    ALLOWED_HOSTS: list[str] = Field(default_factory=list)
    """Host names this site serves; ``".example.com"`` matches subdomains, ``"*"`` anything."""
    INSTALLED_APPS: list[str | type] = Field(default_factory=list)
    """Dotted module paths, dotted paths to AppConfig classes, or AppConfig classes (the app
    registry, a floor above settings, checks that a class is an AppConfig)."""
    MIDDLEWARE: list[str] = Field(default_factory=list)
    """Dotted paths of middleware factories; the first entry is outermost."""
    ROOT_URLCONF: str | None = None
    DATABASES: dict[str, str] = Field(default_factory=dict, repr=False)
    """Database URLs by alias, e.g. ``{"default": "sqlite:///db.sqlite3"}``. Kept out of
    ``repr()`` (like SECRET_KEY) because URLs often carry passwords."""
    TEMPLATES: TemplateSettings = Field(default_factory=TemplateSettings)
    CACHES: dict[str, CacheSettings] = Field(
        default_factory=lambda: {"default": CacheSettings(BACKEND=LOCMEM_CACHE_BACKEND)}
    )
    """Caches by alias (``djanco.core.cache.caches[alias]``); ``"default"`` is required."""
    CACHE_MIDDLEWARE_ALIAS: str = "default"
    """The cache ``cache_page`` stores pages in unless given ``cache=``."""
    CACHE_MIDDLEWARE_KEY_PREFIX: str = ""
    """Key prefix of cached pages unless ``cache_page`` is given ``key_prefix=``."""
    CACHE_MIDDLEWARE_SECONDS: int = Field(default=600, ge=0)
    """Default page lifetime for page caching that is given none."""
    BASE_DIR: Path | None = None
    LOGGING: dict[str, object] = Field(default_factory=dict)
    """A ``logging.config.dictConfig`` dictionary, applied by ``djanco.setup()`` when set."""
    APPEND_SLASH: bool = True
    DEFAULT_CHARSET: str = "utf-8"

    # Static and media files
    STATIC_URL: str = "/static/"
    STATIC_ROOT: Path | None = None
    """Where ``djanco collectstatic`` puts the static files, and ``djanco serve`` serves them."""
    STATICFILES_DIRS: list[Path | tuple[str, Path]] = Field(default_factory=list)
    """Directories of static files besides the apps' ``static/``; an entry ``(prefix, dir)``
    serves ``dir`` under ``STATIC_URL + prefix + "/"``."""
    STORAGES: dict[str, StorageSettings] = Field(default_factory=lambda: dict(_STORAGES))
    """Storages by alias, as in Django; ``"staticfiles"`` is where collected static files go
    (``ManifestStaticFilesStorage`` gives them content-hashed names)."""
    MEDIA_URL: str = ""
    MEDIA_ROOT: Path | None = None

    # Internationalisation
    TIME_ZONE: str = "UTC"
    USE_TZ: bool = True
    LANGUAGE_CODE: str = "en-us"

    # Security
    SECURE_HSTS_SECONDS: int = Field(default=0, ge=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = False
    SECURE_HSTS_PRELOAD: bool = False
    SECURE_SSL_REDIRECT: bool = False
    SECURE_SSL_HOST: str | None = None
    SECURE_REDIRECT_EXEMPT: list[str] = Field(default_factory=list)
    """Regular expressions of paths (without the leading slash) never redirected to HTTPS."""
    SECURE_REFERRER_POLICY: str | None = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF: bool = True
    SECURE_CROSS_ORIGIN_OPENER_POLICY: str | None = "same-origin"
    SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None
    """``(header, value)`` a trusted proxy sets on HTTPS requests, e.g.
    ``("HTTP_X_FORWARDED_PROTO", "https")``."""
    SECURE_CSP: dict[str, CSPValue] = Field(default_factory=dict)
    """The Content-Security-Policy header, directive by directive, e.g.
    ``{"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}`` (``djanco.utils.csp``);
    sent by ContentSecurityPolicyMiddleware. Empty: no header."""
    SECURE_CSP_REPORT_ONLY: dict[str, CSPValue] = Field(default_factory=dict)
    """The same for Content-Security-Policy-Report-Only: violations are reported, not blocked."""
    X_FRAME_OPTIONS: str = "DENY"
    USE_X_FORWARDED_HOST: bool = False
    INTERNAL_IPS: list[str] = Field(default_factory=list)
    SILENCED_SYSTEM_CHECKS: list[str] = Field(default_factory=list)

    # Email (see docs/mail.md)
    EMAIL_BACKEND: str = "djanco.core.mail.backends.smtp.EmailBackend"
    """Dotted path of the class that sends mail (tests use the local-memory one)."""
    EMAIL_HOST: str = "localhost"
    EMAIL_PORT: int = Field(default=25, ge=1, le=65535)
    EMAIL_HOST_USER: str = ""
    EMAIL_HOST_PASSWORD: str = Field(default="", repr=False)
    EMAIL_USE_TLS: bool = False
    """Upgrade the SMTP connection with STARTTLS (usually port 587)."""
    EMAIL_USE_SSL: bool = False
    """Connect with implicit TLS (usually port 465); excludes EMAIL_USE_TLS."""
    EMAIL_SSL_CERTFILE: Path | None = None
    """Client certificate (PEM) presented to the SMTP server, if it asks for one."""
    EMAIL_SSL_KEYFILE: Path | None = Field(default=None, repr=False)
    EMAIL_TIMEOUT: float | None = Field(default=None, gt=0)
    """Seconds to wait for the SMTP server before giving up; None waits as long as the OS does."""
    EMAIL_FILE_PATH: Path | None = None
    """Directory the file backend writes messages into."""
    EMAIL_SUBJECT_PREFIX: str = "[Djanco] "
    """Put in front of the subject of mail_admins() and mail_managers() messages."""
    EMAIL_USE_LOCALTIME: bool = False
    """Date headers in TIME_ZONE instead of UTC."""
    DEFAULT_FROM_EMAIL: str = "webmaster@localhost"
    SERVER_EMAIL: str = "root@localhost"
    """Sender of mail_admins() and mail_managers() messages."""
    ADMINS: list[str | tuple[str, str]] = Field(default_factory=list)
    """Addresses mail_admins() writes to (Django's older ``(name, address)`` pairs work too)."""
    MANAGERS: list[str | tuple[str, str]] = Field(default_factory=list)
    """Addresses mail_managers() writes to."""

    # CSRF (see docs/security.md)
    CSRF_COOKIE_NAME: str = "csrftoken"
    CSRF_COOKIE_AGE: int | None = Field(default=31_449_600, ge=0)
    """Seconds the CSRF cookie lives (about a year); None makes it a session cookie."""
    CSRF_COOKIE_DOMAIN: str | None = None
    CSRF_COOKIE_PATH: str = "/"
    CSRF_COOKIE_SECURE: bool = False
    """Send the CSRF cookie over HTTPS only; turn it on for a site served over HTTPS."""
    CSRF_COOKIE_HTTPONLY: bool = False
    """Hide the cookie from JavaScript (scripts then read the token from the page)."""
    CSRF_COOKIE_SAMESITE: Literal["Lax", "Strict", "None"] | None = "Lax"
    CSRF_HEADER_NAME: str = "HTTP_X_CSRFTOKEN"
    """The header scripts send the token in, in Django's spelling (``HTTP_`` + the name upper
    case, dashes as underscores) or as the header's own name (``"X-CSRFToken"``)."""
    CSRF_TRUSTED_ORIGINS: list[str] = Field(default_factory=list)
    """Origins other than the site's own allowed to POST to it, with their scheme:
    ``"https://example.com"``; ``"https://*.example.com"`` allows every subdomain."""
    CSRF_USE_SESSIONS: bool = False
    """Keep the CSRF secret in the session (needs the sessions app) instead of a cookie."""
    CSRF_FAILURE_VIEW: str = "djanco.views.csrf.csrf_failure"
    """Dotted path of the view answering a request refused by CSRF protection; it is called
    with the request and ``reason``."""

    # Request limits (see docs/deployment.md)
    DATA_UPLOAD_MAX_MEMORY_SIZE: int | None = Field(default=2_621_440, ge=0)
    """Largest body ``request.body()``, ``json()`` and an urlencoded ``form()`` read into
    memory, in bytes (2.5 MB); a larger one is answered 413. None removes the limit."""
    DATA_UPLOAD_MAX_NUMBER_FIELDS: int | None = Field(default=1000, ge=0)
    """Most fields a form body may have (``request.POST``); more are answered 400. None removes
    the limit."""
    DATA_UPLOAD_MAX_NUMBER_FILES: int | None = Field(default=100, ge=0)
    """Most files a multipart body may carry (``request.FILES``); more are answered 400."""
    FILE_UPLOAD_MAX_MEMORY_SIZE: int = Field(default=2_621_440, ge=0)
    """Largest uploaded file kept in memory, in bytes (2.5 MB); a larger one is written to a
    temporary file as it arrives (``TemporaryUploadedFile``)."""
    FILE_UPLOAD_TEMP_DIR: Path | None = None
    """Where uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are written; None: the system's
    temporary directory."""
    REQUEST_HEADERS_MAX_SIZE: int = Field(default=32_768, ge=1024)
    """Largest request line plus header fields the server reads, in bytes (nginx's 4 x 8 KB);
    a longer URL is answered 414, longer headers 431."""
    REQUEST_HEADERS_MAX_COUNT: int = Field(default=100, ge=1)
    """Most header fields in one request; more are answered 431."""
    REQUEST_HEADERS_TIMEOUT: float = Field(default=60, gt=0)
    """Seconds a client has to send the request line and headers; then 408 and the
    connection is closed."""
    REQUEST_BODY_TIMEOUT: float = Field(default=60, gt=0)
    """Seconds a client may stall while sending a body, on top of the time the body needs at
    REQUEST_BODY_MIN_RATE; then 408 (or, once the response has started, a closed connection)."""
    REQUEST_BODY_MIN_RATE: int = Field(default=500, ge=1)
    """Slowest body upload accepted on average, in bytes per second."""

    _module: str | None = PrivateAttr(default=None)

    @property
    def SETTINGS_MODULE(self) -> str | None:  # Django's name, hence upper case
        """The dotted path these settings were loaded from, if any."""
        return self._module

    if not TYPE_CHECKING:  # hidden from type checkers, which would then allow any attribute

        def __setattr__(self, name: str, value: object) -> None:
            _check_assignable(self, name, "setting")
            super().__setattr__(name, value)
            if not name.startswith("_"):
                notify_setting_changed(name)

    @field_validator("INSTALLED_APPS", mode="before")
    @classmethod
    def _check_app_entries(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            for index, entry in enumerate(value):
                if not isinstance(entry, str | type):
                    raise ValueError(
                        f"entry {index} ({entry!r}) must be a dotted path or an AppConfig subclass"
                    )
        return value

    @field_validator("TEMPLATES", mode="before")
    @classmethod
    def _reject_django_template_list(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            raise ValueError(
                "Djanco takes one mapping such as {'DIRS': [...], 'APP_DIRS': True}, "
                "not Django's list of template backends"
            )
        return value

    @field_validator("CACHES")
    @classmethod
    def _require_default_cache(cls, value: dict[str, CacheSettings]) -> dict[str, CacheSettings]:
        if "default" not in value:
            raise ValueError("a 'default' cache is required")
        return value

    @model_validator(mode="after")
    def _one_kind_of_email_tls(self) -> Self:
        if self.EMAIL_USE_TLS and self.EMAIL_USE_SSL:
            raise ValueError(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive: set only one to True"
            )
        return self

    @field_validator("CSRF_TRUSTED_ORIGINS")
    @classmethod
    def _check_trusted_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if "://" not in origin:
                raise ValueError(
                    f"{origin!r} must start with a scheme, e.g. 'https://{origin}' (an origin "
                    "is a scheme, a host and an optional port)"
                )
        return value

    @field_validator("TIME_ZONE")
    @classmethod
    def _check_time_zone(cls, value: str) -> str:
        if value == "UTC":
            return value
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("DEFAULT_CHARSET")
    @classmethod
    def _check_charset(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @field_validator("STATIC_URL", "MEDIA_URL")
    @classmethod
    def _check_trailing_slash(cls, value: str) -> str:
        if value and not value.endswith("/"):
            raise ValueError(f"{value!r} must end with a slash")
        return value
