"""Masking secrets in what the DEBUG page shows: by name, and by value wherever they appear.

A database driver's frames hold the password in many shapes (a ``conninfo`` string, a dict
of connection parameters, keyword arguments, the URL itself), so masking by variable name
alone leaks it. SecretMasker replaces every configured secret (SECRET_KEY and its fallbacks,
every password in a setting) and any password written into a URL, a DSN or a
``password=``/``'password': …`` pair, before anything is truncated or escaped.
"""

from __future__ import annotations

import builtins
import re
import reprlib
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from djanco.conf import Settings, settings

MASK = "********************"

SECRET_NAMES = re.compile("API|AUTH|COOKIE|KEY|PASS|SECRET|SIGNATURE|TOKEN", re.IGNORECASE)
"""Variable, header and dict key names whose values are masked whatever they hold."""

# Settings whose whole value is secret (not, say, AUTH_PASSWORD_VALIDATORS' dotted paths).
_SECRET_SETTINGS = re.compile(r"^SECRET_KEY|(PASSWORD|SECRET|TOKEN|API_KEY)$")

# "scheme://user:PASSWORD@host"
_URL_PASSWORD = re.compile(r"(?P<keep>[a-zA-Z][\w+.-]*://[^\s/@:'\"]*:)[^\s@'\"]+(?=@)")

# "password=X" (a DSN, keyword arguments) and "'password': 'X'" (a dict or JSON), X quoted or not
_KEYED_PASSWORD = re.compile(
    r"""(?P<keep>(?P<q>['"]?)(?:password|passwd|pwd)(?P=q)\s*[:=]\s*)"""
    r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'",;&)}\]]+)""",
    re.IGNORECASE,
)

_MAX_SHOWN = 300


class SecretMasker:
    """Replaces secrets in text with MASK; ``masker.repr(value)`` is a masked, short repr."""

    def __init__(self, secrets: Iterable[str]) -> None:
        variants = {form for secret in secrets if secret for form in _written_forms(secret)}
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted(variants, key=len, reverse=True)
        self._repr = _MaskingRepr(self)

    @classmethod
    def from_settings(cls) -> SecretMasker:
        """A masker for the secrets in the current settings."""
        return cls(configured_secrets())

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        text = _URL_PASSWORD.sub(rf"\g<keep>{MASK}", text)
        return _KEYED_PASSWORD.sub(rf"\g<keep>{MASK}", text)

    def repr(self, value: object) -> str:
        """``repr(value)`` masked, nested values included, then cut to a readable length."""
        try:
            return self._repr.repr(value)
        except Exception as exc:  # a broken __repr__ must not break the error page
            return f"<unrepresentable: {type(exc).__name__}>"


def configured_secrets() -> list[str]:
    """SECRET_KEY, SECRET_KEY_FALLBACKS, any ``…PASSWORD``/``…TOKEN`` setting, and the
    password of every URL in the settings (``DATABASES`` and the like)."""
    found: list[str] = []
    for name in Settings.model_fields:
        whole_value_is_secret = _SECRET_SETTINGS.search(name) is not None
        for text in _strings(getattr(settings, name)):
            if whole_value_is_secret:
                found.append(text)
            found.extend(_url_passwords(text))
    return found


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _url_passwords(text: str) -> list[str]:
    if "://" not in text:
        return []
    try:
        parts = urlsplit(text)
        password = parts.password
    except ValueError:
        return []
    found = [password] if password else []
    found += [value for key, value in parse_qsl(parts.query) if "pass" in key.lower()]
    return found


def _written_forms(secret: str) -> set[str]:
    """The ways ``secret`` can be written: as is, URL-quoted or unquoted, escaped in a repr."""
    forms = {secret, unquote(secret), quote(secret, safe=""), quote(secret)}
    forms |= {builtins.repr(form)[1:-1] for form in list(forms)}
    return {form for form in forms if form}


class _Masked:
    """Stands in for a value under a secret-looking dict key."""

    def __repr__(self) -> str:
        return MASK


class _MaskingRepr(reprlib.Repr):
    """reprlib's short reprs, masking each string and each object's repr before cutting it."""

    def __init__(self, mask: SecretMasker) -> None:
        super().__init__()
        self.maxstring = self.maxother = _MAX_SHOWN
        self.maxlevel = 3
        self._mask = mask

    def repr_str(self, x: str, level: int) -> str:
        return super().repr_str(self._mask(x), level)

    def repr_dict(self, x: dict[object, object], level: int) -> str:
        shown = {
            key: _Masked() if isinstance(key, str) and SECRET_NAMES.search(key) else value
            for key, value in x.items()
        }
        return super().repr_dict(shown, level)

    def repr_instance(self, x: object, level: int) -> str:
        text = self._mask(builtins.repr(x))
        if len(text) <= self.maxother:
            return text
        head = (self.maxother - 3) // 2
        tail = self.maxother - 3 - head
        return f"{text[:head]}...{text[len(text) - tail :]}"
