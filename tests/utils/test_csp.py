"""djanco.utils.csp: building a policy's header value, and the lazy nonce."""

from __future__ import annotations

from djanco.utils.csp import CSP, LazyNonce, build_policy


def test_a_policy_is_built_directive_by_directive() -> None:
    policy = {
        "default-src": [CSP.SELF],
        "img-src": {"https://b.example", "https://a.example"},  # sorted: a stable header
        "report-uri": "/csp-report/",
        "upgrade-insecure-requests": True,
        "frame-src": None,
    }
    assert build_policy(policy) == (
        "default-src 'self'; img-src https://a.example https://b.example; "
        "report-uri /csp-report/; upgrade-insecure-requests"
    )


def test_the_nonce_sentinel_is_replaced_or_dropped() -> None:
    policy = {"script-src": [CSP.SELF, CSP.NONCE], "style-src": [CSP.NONCE]}
    assert build_policy(policy, "abc") == "script-src 'self' 'nonce-abc'; style-src 'nonce-abc'"
    assert build_policy(policy) == "script-src 'self'"  # a directive left empty is dropped
    unused = LazyNonce()
    assert build_policy(policy, unused) == "script-src 'self'"
    used = LazyNonce()
    assert f"'nonce-{used}'" in build_policy(policy, used)


def test_a_lazy_nonce_is_made_once_when_first_used() -> None:
    nonce = LazyNonce()
    assert not nonce
    value = str(nonce)
    assert nonce
    assert len(value) >= 22
    assert str(nonce) == value == nonce.__html__()
    assert str(LazyNonce()) != value
