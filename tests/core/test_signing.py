"""djanco.core.signing: tamper detection, expiry, salts, key rotation, Django's format."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from djanco.conf import Settings
from djanco.core import signing
from djanco.core.exceptions import ImproperlyConfigured


@pytest.fixture(autouse=True)
def _key(settings: Settings) -> Settings:
    settings.SECRET_KEY = "s3cret"
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def test_sign_and_unsign_round_trip() -> None:
    signer = signing.Signer()
    signed = signer.sign("hello")
    assert signed.startswith("hello:")
    assert signer.unsign(signed) == "hello"


def test_values_signed_by_django_with_the_same_key_are_accepted() -> None:
    # Made by django.core.signing 6.0 with SECRET_KEY = "s3cret".
    assert (
        signing.Signer(salt="x").unsign("hello:yLb-ujsxvsU1sb5KrUxZEUQXoFdEhB4eazqK8_DZvqI")
        == "hello"
    )
    assert signing.Signer(salt="x").sign("hello") == (
        "hello:yLb-ujsxvsU1sb5KrUxZEUQXoFdEhB4eazqK8_DZvqI"
    )


@pytest.mark.parametrize(
    "tampered",
    ["hellO:{sig}", "hello:{sig}x", "hello{sig}", "hello:", "", ":{sig}"],
)
def test_any_change_is_a_bad_signature(tampered: str) -> None:
    signer = signing.Signer()
    signature = signer.sign("hello").rsplit(":", 1)[1]
    with pytest.raises(signing.BadSignature):
        signer.unsign(tampered.format(sig=signature))


def test_salt_and_key_separate_signatures() -> None:
    signed = signing.Signer(salt="one").sign("v")
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="two").unsign(signed)
    with pytest.raises(signing.BadSignature):
        signing.Signer(key="another").unsign(signed)


def test_unsafe_separator_is_refused() -> None:
    with pytest.raises(ValueError, match="Unsafe Signer separator"):
        signing.Signer(sep="a")


def test_an_empty_secret_key_is_a_configuration_error(settings: Settings) -> None:
    settings.SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY setting must not be empty"):
        signing.Signer()


def test_key_rotation_accepts_fallback_keys(settings: Settings) -> None:
    old = signing.dumps({"cart": [1, 2]})
    settings.SECRET_KEY = "new-key"
    with pytest.raises(signing.BadSignature):
        signing.loads(old)
    settings.SECRET_KEY_FALLBACKS = ["s3cret"]
    assert signing.loads(old) == {"cart": [1, 2]}
    # New values are signed with the new key only.
    fresh = signing.dumps("x")
    settings.SECRET_KEY_FALLBACKS = []
    assert signing.loads(fresh) == "x"


def test_explicit_fallback_keys() -> None:
    signed = signing.Signer(key="old").sign("v")
    assert signing.Signer(key="new", fallback_keys=["old"]).unsign(signed) == "v"


def test_dumps_and_loads_objects_with_compression() -> None:
    value = {"items": list(range(100)), "name": "é"}
    compressed = signing.dumps(value, compress=True)
    assert compressed.startswith(".")
    assert len(compressed) < len(signing.dumps(value))
    assert signing.loads(compressed) == value
    assert signing.loads(signing.dumps(value, salt="s"), salt="s") == value
    with pytest.raises(signing.BadSignature):
        signing.loads(signing.dumps(value, salt="s"))


def test_timestamp_signer_max_age(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = signing.TimestampSigner()
    now = float(int(time.time()))  # signatures carry whole seconds
    monkeypatch.setattr(time, "time", lambda: now)
    signed = signer.sign("v")
    monkeypatch.setattr(time, "time", lambda: now + 100)
    assert signer.unsign(signed) == "v"
    assert signer.unsign(signed, max_age=100) == "v"
    assert signer.unsign(signed, max_age=dt.timedelta(minutes=2)) == "v"
    with pytest.raises(signing.SignatureExpired, match="Signature age"):
        signer.unsign(signed, max_age=99)
    with pytest.raises(signing.SignatureExpired):
        signing.loads(signing.dumps("x"), max_age=-1)


def test_a_plain_signer_has_no_timestamp_to_check() -> None:
    signer = signing.Signer()
    with pytest.raises(TypeError, match="TimestampSigner"):
        signer.unsign_object(signer.sign_object(1), max_age=5)


def test_base62() -> None:
    for number in (0, 1, 61, 62, -63, 10**12):
        assert signing.b62_decode(signing.b62_encode(number)) == number
    assert signing.b62_encode(62) == "10"


def test_cookie_signer_is_keyed_apart_from_the_plain_signer() -> None:
    signed = signing.get_cookie_signer(salt="c").sign("v")
    assert signing.get_cookie_signer(salt="c").unsign(signed) == "v"
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="c").unsign(signed)
