"""Signed values: tamper-proof strings and objects, optionally time-stamped, with key rotation.

``Signer`` appends an HMAC of the value keyed by ``SECRET_KEY``; ``TimestampSigner`` also
signs the time, so ``unsign(..., max_age=...)`` can refuse old values. ``dumps()``/``loads()``
sign any JSON-serialisable object as a URL-safe string::

    token = signing.dumps({"user": 42}, salt="password-reset")
    data = signing.loads(token, salt="password-reset", max_age=3600)

Signatures made with a key listed in ``SECRET_KEY_FALLBACKS`` are still accepted, so the
secret key can be rotated without invalidating what was signed before. The format and the
HMAC construction are Django's, so values signed by a Django site with the same secret key
are accepted here and the other way round.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import time
import zlib
from collections.abc import Iterable
from typing import Protocol

from djanco.conf import settings
from djanco.core.exceptions import ImproperlyConfigured

__all__ = [
    "BadSignature",
    "JSONSerializer",
    "Serializer",
    "SignatureExpired",
    "Signer",
    "TimestampSigner",
    "b62_decode",
    "b62_encode",
    "dumps",
    "get_cookie_signer",
    "loads",
]

_UNSAFE_SEPARATOR = re.compile(r"^[A-z0-9-_=]*$")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DEFAULT_SALT = "django.core.signing"  # Django's, so signed values are interchangeable


class BadSignature(Exception):
    """The signature does not match the value (or the value carries no signature)."""


class SignatureExpired(BadSignature):
    """The signature is valid but older than the ``max_age`` allowed."""


class Serializer(Protocol):
    """Turns objects into bytes and back, for ``dumps()``/``loads()``."""

    def dumps(self, obj: object) -> bytes: ...

    def loads(self, data: bytes) -> object: ...


class JSONSerializer:
    """Compact JSON (the default serializer)."""

    def dumps(self, obj: object) -> bytes:
        return json.dumps(obj, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes) -> object:
        result: object = json.loads(data.decode("latin-1"))
        return result


def b62_encode(number: int) -> str:
    """``number`` in base 62 (the timestamp format of ``TimestampSigner``)."""
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    number = abs(number)
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 62)
        digits.append(_BASE62[remainder])
    return sign + "".join(reversed(digits))


def b62_decode(text: str) -> int:
    """The integer ``b62_encode()`` turned into ``text``; ValueError on a foreign digit."""
    sign = -1 if text.startswith("-") else 1
    number = 0
    for char in text.lstrip("-"):
        number = number * 62 + _BASE62.index(char)
    return sign * number


def _b64_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _salted_hmac(salt: str, value: str, secret: str | bytes, algorithm: str) -> bytes:
    """HMAC of ``value`` under a key derived from ``salt`` and ``secret``."""
    secret_bytes = secret.encode() if isinstance(secret, str) else secret
    key = hashlib.new(algorithm, salt.encode() + secret_bytes).digest()
    return hmac.new(key, value.encode(), algorithm).digest()


class Signer:
    """Signs strings: ``sign("hello")`` is ``"hello:<signature>"``; ``unsign()`` checks it.

    ``key`` defaults to ``SECRET_KEY`` and ``fallback_keys`` to ``SECRET_KEY_FALLBACKS``.
    Different ``salt`` values give independent signatures for the same key.
    """

    def __init__(
        self,
        *,
        key: str | bytes | None = None,
        sep: str = ":",
        salt: str | None = None,
        algorithm: str | None = None,
        fallback_keys: Iterable[str | bytes] | None = None,
    ) -> None:
        self.key: str | bytes = key or settings.SECRET_KEY
        self.fallback_keys: list[str | bytes] = list(
            fallback_keys if fallback_keys is not None else settings.SECRET_KEY_FALLBACKS
        )
        if _UNSAFE_SEPARATOR.match(sep):
            raise ValueError(
                f"Unsafe Signer separator: {sep!r} (cannot be empty or consist of only A-z0-9-_=)"
            )
        self.sep = sep
        self.salt = salt or f"{type(self).__module__}.{type(self).__name__}"
        self.algorithm = algorithm or "sha256"
        if not self.key:
            raise ImproperlyConfigured("The SECRET_KEY setting must not be empty.")

    def signature(self, value: str, key: str | bytes | None = None) -> str:
        digest = _salted_hmac(self.salt + "signer", value, key or self.key, self.algorithm)
        return _b64_encode(digest)

    def sign(self, value: str) -> str:
        return f"{value}{self.sep}{self.signature(value)}"

    def unsign(self, signed_value: str) -> str:
        """The value, if its signature matches the key or a fallback key; else BadSignature."""
        if self.sep not in signed_value:
            raise BadSignature(f'No "{self.sep}" found in value')
        value, signature = signed_value.rsplit(self.sep, 1)
        for key in (self.key, *self.fallback_keys):
            if hmac.compare_digest(signature.encode(), self.signature(value, key).encode()):
                return value
        raise BadSignature(f'Signature "{signature}" does not match')

    def sign_object(
        self, obj: object, serializer: type[Serializer] = JSONSerializer, compress: bool = False
    ) -> str:
        """Serialise ``obj`` and sign it as a URL-safe string.

        With ``compress``, the data is zlib-compressed when that makes it shorter (marked by a
        leading ``.``, which is signed too, so no one can feed a zip bomb to ``loads()``).
        """
        data = serializer().dumps(obj)
        prefix = ""
        if compress:
            packed = zlib.compress(data)
            if len(packed) < len(data) - 1:
                data, prefix = packed, "."
        return self.sign(prefix + _b64_encode(data))

    def unsign_object(
        self,
        signed_obj: str,
        serializer: type[Serializer] = JSONSerializer,
        max_age: float | dt.timedelta | None = None,
    ) -> object:
        """The object ``sign_object()`` signed; BadSignature if anything was changed."""
        payload = self._unsign_payload(signed_obj, max_age)
        compressed = payload.startswith(".")
        try:
            data = _b64_decode(payload.removeprefix("."))
            if compressed:
                data = zlib.decompress(data)
        except (ValueError, zlib.error) as exc:  # only reachable with a leaked key
            raise BadSignature(f"Signed data is not valid: {exc}") from None
        return serializer().loads(data)

    def _unsign_payload(self, signed: str, max_age: float | dt.timedelta | None) -> str:
        if max_age is not None:
            raise TypeError("max_age needs a TimestampSigner")
        return self.unsign(signed)


class TimestampSigner(Signer):
    """A Signer that also signs the current time; ``unsign(value, max_age=...)`` checks age."""

    def timestamp(self) -> str:
        return b62_encode(int(time.time()))

    def sign(self, value: str) -> str:
        return super().sign(f"{value}{self.sep}{self.timestamp()}")

    def unsign(self, value: str, max_age: float | dt.timedelta | None = None) -> str:
        """The value, if the signature matches and is at most ``max_age`` seconds old.

        SignatureExpired (a BadSignature) when it is older.
        """
        result = super().unsign(value)
        value, stamp = result.rsplit(self.sep, 1)
        try:
            signed_at = b62_decode(stamp)
        except ValueError:
            raise BadSignature(f"Bad timestamp {stamp!r}") from None
        if max_age is not None:
            if isinstance(max_age, dt.timedelta):
                max_age = max_age.total_seconds()
            age = time.time() - signed_at
            if age > max_age:
                raise SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value

    def _unsign_payload(self, signed: str, max_age: float | dt.timedelta | None) -> str:
        return self.unsign(signed, max_age=max_age)


def dumps(
    obj: object,
    key: str | bytes | None = None,
    salt: str = _DEFAULT_SALT,
    serializer: type[Serializer] = JSONSerializer,
    compress: bool = False,
) -> str:
    """``obj`` serialised (JSON by default), time-stamped and signed as a URL-safe string."""
    return TimestampSigner(key=key, salt=salt).sign_object(
        obj, serializer=serializer, compress=compress
    )


def loads(
    s: str,
    key: str | bytes | None = None,
    salt: str = _DEFAULT_SALT,
    serializer: type[Serializer] = JSONSerializer,
    max_age: float | dt.timedelta | None = None,
    fallback_keys: Iterable[str | bytes] | None = None,
) -> object:
    """The object ``dumps()`` signed; BadSignature if tampered, SignatureExpired if too old."""
    signer = TimestampSigner(key=key, salt=salt, fallback_keys=fallback_keys)
    return signer.unsign_object(s, serializer=serializer, max_age=max_age)


def _cookie_key(key: str | bytes) -> bytes:
    return b"django.http.cookies" + (key.encode() if isinstance(key, str) else key)


def get_cookie_signer(salt: str = "django.core.signing.get_cookie_signer") -> Signer:
    """The signer of signed cookies (``set_signed_cookie``), keyed apart from other uses."""
    return Signer(
        key=_cookie_key(settings.SECRET_KEY),
        fallback_keys=[_cookie_key(k) for k in settings.SECRET_KEY_FALLBACKS],
        salt=salt,
    )
