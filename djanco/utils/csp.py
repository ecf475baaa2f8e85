"""Content Security Policy (Django 6.0's API): the ``CSP`` constants, the per-request nonce and
the header value built from a policy mapping such as SECURE_CSP."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeAlias

__all__ = ["CSP", "CSPValue", "LazyNonce", "build_policy"]

CSPValue: TypeAlias = list[str] | tuple[str, ...] | set[str] | str | bool | None
"""A directive's value in a policy: its sources (a set is sorted), one source, True for a
directive without sources (``upgrade-insecure-requests``), or False/None to leave it out."""


class CSP(StrEnum):
    """The quoted keywords of CSP source lists, the header names, and ``CSP.NONCE``, which
    the middleware replaces with the request's nonce::

        SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
    """

    HEADER_ENFORCE = "Content-Security-Policy"
    HEADER_REPORT_ONLY = "Content-Security-Policy-Report-Only"

    NONE = "'none'"
    REPORT_SAMPLE = "'report-sample'"
    SELF = "'self'"
    STRICT_DYNAMIC = "'strict-dynamic'"
    UNSAFE_EVAL = "'unsafe-eval'"
    UNSAFE_HASHES = "'unsafe-hashes'"
    UNSAFE_INLINE = "'unsafe-inline'"
    WASM_UNSAFE_EVAL = "'wasm-unsafe-eval'"

    NONCE = "<CSP_NONCE_SENTINEL>"
    """Stands for ``'nonce-…'`` with this request's nonce, if a page used it (else dropped)."""


class LazyNonce:
    """A request's nonce: random, made the first time it is turned into text (``{{
    csp_nonce }}`` in a template), and true only once made, so a template can test whether a
    page already uses it: ``{% if csp_nonce %}``."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = secrets.token_urlsafe(16)
        return self._value

    def __html__(self) -> str:
        return str(self)  # URL-safe base64: nothing to escape

    def __bool__(self) -> bool:
        return self._value is not None

    def __repr__(self) -> str:
        return f"<LazyNonce: {self._value or 'not made yet'}>"


def build_policy(config: Mapping[str, CSPValue], nonce: LazyNonce | str | None = None) -> str:
    """The header value for ``config``: ``"default-src 'self'; img-src 'self' data:"``.

    ``CSP.NONCE`` becomes ``'nonce-<nonce>'`` when ``nonce`` is given and made (a LazyNonce
    no page used is left out, with the sentinel); directives left with no source are dropped.
    """
    directives: list[str] = []
    for directive, value in config.items():
        if value is None or value is False:
            continue
        if value is True:
            directives.append(directive)
            continue
        if isinstance(value, str):
            sources = [value]
        elif isinstance(value, set):
            sources = sorted(value)  # the same header every time, for caches
        else:
            sources = list(value)
        if CSP.NONCE in sources:
            if nonce:
                sources = [f"'nonce-{nonce}'" if item == CSP.NONCE else item for item in sources]
            else:
                sources = [item for item in sources if item != CSP.NONCE]
        if sources:
            directives.append(f"{directive} {' '.join(str(source) for source in sources)}")
    return "; ".join(directives)
