"""Cache-Control, Expires and Vary helpers (djanco.utils.cache)."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from djanco.http import HttpResponse
from djanco.utils.cache import (
    add_never_cache_headers,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
    patch_vary_headers,
)


def test_patch_cache_control_adds_directives() -> None:
    response = HttpResponse()

    patch_cache_control(response, max_age=300, public=True, stale_while_revalidate=60)

    assert response["Cache-Control"] == "max-age=300, public, stale-while-revalidate=60"


def test_the_smaller_max_age_wins() -> None:
    response = HttpResponse(headers={"Cache-Control": "max-age=100"})

    patch_cache_control(response, max_age=300)
    assert get_max_age(response) == 100
    patch_cache_control(response, max_age=50)
    assert get_max_age(response) == 50


def test_public_and_private_replace_each_other() -> None:
    response = HttpResponse(headers={"Cache-Control": "private, max-age=10"})

    patch_cache_control(response, public=True)
    assert response["Cache-Control"] == "max-age=10, public"
    patch_cache_control(response, private=True)
    assert response["Cache-Control"] == "max-age=10, private"


def test_no_cache_collects_field_names_and_a_bare_one_covers_them() -> None:
    response = HttpResponse()

    patch_cache_control(response, no_cache="Set-Cookie")
    patch_cache_control(response, no_cache="X-Token")
    assert response["Cache-Control"] == "no-cache=Set-Cookie, no-cache=X-Token"
    patch_cache_control(response, no_cache=True)
    assert response["Cache-Control"] == "no-cache"


def test_get_max_age() -> None:
    assert get_max_age(HttpResponse()) is None
    assert get_max_age(HttpResponse(headers={"Cache-Control": "max-age=abc"})) is None
    assert get_max_age(HttpResponse(headers={"Cache-Control": "public, MAX-AGE=7"})) == 7


def test_patch_response_headers_sets_expires_and_max_age() -> None:
    response = HttpResponse()

    patch_response_headers(response, 120)

    assert response["Cache-Control"] == "max-age=120"
    assert parsedate_to_datetime(response["Expires"]).tzinfo is not None


def test_add_never_cache_headers() -> None:
    response = HttpResponse()

    add_never_cache_headers(response)

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_patch_vary_headers_adds_each_name_once_in_order() -> None:
    response = HttpResponse(headers={"Vary": "Accept-Encoding"})

    patch_vary_headers(response, ["Cookie", "accept-encoding", "Accept-Language"])

    assert response["Vary"] == "Accept-Encoding, Cookie, Accept-Language"
    assert has_vary_header(response, "cookie")
    assert not has_vary_header(response, "User-Agent")


def test_a_star_in_vary_replaces_every_name() -> None:
    response = HttpResponse(headers={"Vary": "Cookie"})

    patch_vary_headers(response, ["*"])

    assert response["Vary"] == "*"
