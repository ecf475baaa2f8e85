"""ContentSecurityPolicyMiddleware (Django 6.0's): the Content-Security-Policy headers of
SECURE_CSP and SECURE_CSP_REPORT_ONLY, with a per-request nonce for inline scripts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.middleware.base import GetResponse, Middleware
from djanco.templates import register_context_processor
from djanco.utils.csp import CSP, CSPValue, LazyNonce, build_policy

if TYPE_CHECKING:
    from djanco.http import HttpRequest, HttpResponseBase

__all__ = ["ContentSecurityPolicyMiddleware", "get_nonce", "override_policy"]

_STATE = "djanco.csp"  # the key of the request's CSP state in its ASGI scope
Policy = Mapping[str, CSPValue]


@dataclass(slots=True)
class _State:
    nonce: LazyNonce = field(default_factory=LazyNonce)
    overrides: dict[CSP, Policy] = field(default_factory=dict)
    """Policies a view set for its own response, by header (``csp_override``)."""


def get_nonce(request: HttpRequest) -> LazyNonce | None:
    """The request's nonce (made when first used), or None without the middleware."""
    state = request.scope.get(_STATE)
    return state.nonce if isinstance(state, _State) else None


def override_policy(request: HttpRequest, header: CSP, policy: Policy) -> None:
    """Send ``policy`` (``{}``: no header) instead of the setting's as ``header`` in the
    response to ``request``; what the ``csp_override`` decorators do."""
    _state(request).overrides[header] = policy


class ContentSecurityPolicyMiddleware(Middleware):
    """Adds Content-Security-Policy (SECURE_CSP) and Content-Security-Policy-Report-Only
    (SECURE_CSP_REPORT_ONLY) to responses that do not set them already.

    ``CSP.NONCE`` in a policy becomes the request's nonce if a page used it
    (``{{ csp_nonce }}``), and is left out otherwise. An empty policy sends no header.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._policies: tuple[tuple[CSP, Policy], ...] = (
            (CSP.HEADER_ENFORCE, settings.SECURE_CSP),
            (CSP.HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY),
        )
        # Without a nonce the header is the same for every response: build it once.
        self._built = {header: build_policy(policy) for header, policy in self._policies}

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        state = _state(request)
        response = await self.get_response(request)
        for header, default in self._policies:
            policy = state.overrides.get(header, default)
            if not policy or header in response:
                continue
            if policy is default and not state.nonce:
                response[header] = self._built[header]
            else:
                response[header] = build_policy(policy, state.nonce)
        return response


def csp(request: HttpRequest) -> dict[str, object]:
    """The context processor giving templates ``csp_nonce`` (None without the middleware)."""
    return {"csp_nonce": get_nonce(request)}


def _state(request: HttpRequest) -> _State:
    state = request.scope.get(_STATE)
    if not isinstance(state, _State):
        state = request.scope[_STATE] = _State()
    return state


register_context_processor("csp", csp)
