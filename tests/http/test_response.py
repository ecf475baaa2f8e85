"""HttpResponse and friends: content, headers, cookies, JSON, redirects, status classes."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator

import pytest

from djanco.http import (
    BadHeaderError,
    DisallowedRedirect,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from djanco.utils.functional import LazyStr
from tests.http.factory import send_response


def test_content_follows_djangos_conversion_rules() -> None:
    # An iterable of chunks is joined (and closed); anything else becomes its str().
    closed: list[bool] = []

    def chunks() -> Iterator[str | bytes]:
        try:
            yield "a"
            yield b"b"
        finally:
            closed.append(True)

    response = HttpResponse(chunks())
    assert response.content == b"ab"
    assert response["Content-Length"] == "2"
    assert closed == [True]
    assert HttpResponse(["x", "é"]).content == "xé".encode()
    assert HttpResponse(5).content == b"5"  # type: ignore[arg-type]  # not five NUL bytes
    response.content = 12  # type: ignore[assignment]
    assert response.content == b"12"
    response.write(3)  # type: ignore[arg-type]
    assert response.content == b"123"


def test_defaults_are_djangos() -> None:
    response = HttpResponse("héllo")

    assert response.status_code == 200
    assert response.content == "héllo".encode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Length"] == str(len("héllo".encode()))
    assert response.reason_phrase == "OK"
    assert repr(response) == '<HttpResponse status_code=200, "text/html; charset=utf-8">'


def test_content_type_status_headers_and_charset() -> None:
    response = HttpResponse(
        "é", content_type="text/plain", status=201, headers={"X-A": "1"}, charset="latin-1"
    )

    assert response.status_code == 201
    assert response.content == b"\xe9"
    assert response["content-type"] == "text/plain"  # an explicit type is used as given
    assert response["x-a"] == "1"


def test_a_content_length_header_is_replaced_not_duplicated() -> None:
    response = HttpResponse("abc", headers={"Content-Length": "99"})

    assert response.headers.getlist("content-length") == ["3"]


def test_content_type_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="'headers' must not contain 'Content-Type'"):
        HttpResponse(content_type="text/plain", headers={"Content-Type": "text/html"})

    assert HttpResponse(headers={"Content-Type": "text/csv"})["content-type"] == "text/csv"


def test_setting_content_updates_content_length() -> None:
    response = HttpResponse("a")
    response.content = "longer"
    response.write(b"!")

    assert response.content == b"longer!"
    assert response["Content-Length"] == "7"
    assert response.headers.getlist("content-length") == ["7"]


def test_header_access_is_case_insensitive() -> None:
    response = HttpResponse()
    response["X-Frame-Options"] = "DENY"

    assert response["x-frame-options"] == "DENY"
    assert "X-FRAME-OPTIONS" in response
    assert response.has_header("x-frame-options")
    assert response.get("missing") is None
    assert response.get("missing", "d") == "d"
    response.setdefault("X-Frame-Options", "SAMEORIGIN")
    assert response["X-Frame-Options"] == "DENY"
    del response["X-Frame-Options"]
    assert "X-Frame-Options" not in response
    with pytest.raises(KeyError):
        response["X-Frame-Options"]


def test_newlines_in_headers_are_refused() -> None:
    response = HttpResponse()

    with pytest.raises(BadHeaderError, match="can't contain newlines"):
        response["X-Evil"] = "a\r\nSet-Cookie: x=y"
    with pytest.raises(BadHeaderError, match="can't contain newlines"):
        HttpResponse(headers={"X-Evil": "a\nb"})


async def test_response_is_sent_over_asgi() -> None:
    response = HttpResponse("hi", status=202, headers={"X-A": "1"})

    sent = await send_response(response)

    assert sent.status == 202
    assert sent.body == b"hi"
    assert sent.header("x-a") == "1"
    assert sent.header("content-length") == "2"


def test_set_cookie_attributes() -> None:
    response = HttpResponse()
    response.set_cookie(
        "session",
        "abc",
        max_age=3600,
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="Lax",
    )

    header = response["set-cookie"]
    assert header.startswith("session=abc; ")
    for part in ("Domain=example.com", "Max-Age=3600", "Path=/", "Secure", "HttpOnly"):
        assert part in header
    assert "SameSite=Lax" in header
    assert "expires=" in header  # max_age alone also sets expires, as in Django
    assert response.cookies["session"].value == "abc"


def test_setting_a_cookie_again_replaces_it() -> None:
    response = HttpResponse()
    response.set_cookie("a", "1", max_age=10)
    response.set_cookie("b", "x")
    response.set_cookie("a", "2")

    cookies = response.headers.getlist("set-cookie")
    assert len(cookies) == 2
    assert cookies[1].startswith("a=2; ")
    assert "Max-Age" not in cookies[1]


def test_cookie_expires_as_datetime_becomes_max_age() -> None:
    response = HttpResponse()
    expires = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=1)
    response.set_cookie("a", "1", expires=expires)

    max_age = int(response.cookies["a"]["max-age"])
    assert 3590 <= max_age <= 3601


def test_cookie_with_expires_and_max_age_is_an_error() -> None:
    with pytest.raises(ValueError, match="'expires' and 'max_age' can't be used together"):
        HttpResponse().set_cookie("a", expires=datetime.datetime(2100, 1, 1), max_age=1)


def test_bad_samesite_is_an_error() -> None:
    with pytest.raises(ValueError, match='samesite must be "lax", "none", or "strict"'):
        HttpResponse().set_cookie("a", samesite="sometimes")


def test_delete_cookie() -> None:
    response = HttpResponse()
    response.delete_cookie("a", path="/app/")
    response.delete_cookie("__Host-b")

    first, second = response.headers.getlist("set-cookie")
    assert first.startswith('a=""; ')
    assert "Max-Age=0" in first
    assert "expires=Thu, 01 Jan 1970 00:00:00 GMT" in first
    assert "Path=/app/" in first
    assert "Secure" not in first
    assert "Secure" in second  # a __Host- cookie is only dropped by a Secure Set-Cookie


def test_json_response() -> None:
    response = JsonResponse({"name": "Ada", "n": 1})

    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"name": "Ada", "n": 1}'


def test_json_response_refuses_a_list_unless_safe_is_false() -> None:
    with pytest.raises(TypeError, match="set the safe parameter to False"):
        JsonResponse([1, 2])

    assert JsonResponse([1, 2], safe=False).content == b"[1, 2]"


def test_json_response_encodes_common_values() -> None:
    when = datetime.datetime(2024, 5, 1, 12, 30, 0, 123456, tzinfo=datetime.UTC)
    data = {
        "when": when,
        "day": datetime.date(2024, 5, 1),
        "price": decimal.Decimal("9.99"),
        "id": uuid.UUID(int=1),
        "wait": datetime.timedelta(days=1, seconds=5),
        "lazy": LazyStr(lambda: "/x/"),
    }

    response = JsonResponse(data, json_dumps_params={"sort_keys": True, "indent": None})

    assert response.content.decode() == (
        '{"day": "2024-05-01", "id": "00000000-0000-0000-0000-000000000001", '
        '"lazy": "/x/", "price": "9.99", "wait": "P1DT00H00M05S", '
        '"when": "2024-05-01T12:30:00.123Z"}'
    )


def test_json_response_with_an_unknown_type_names_it() -> None:
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        JsonResponse({"x": object()})


def test_redirects() -> None:
    found = HttpResponseRedirect("/next/?a=1 2")
    moved = HttpResponsePermanentRedirect(LazyStr(lambda: "https://example.com/é"))

    assert found.status_code == 302
    assert found.url == found["Location"] == "/next/?a=1%202"
    assert moved.status_code == 301
    assert moved.url == "https://example.com/%C3%A9"


def test_redirect_to_an_unsafe_scheme_is_refused() -> None:
    with pytest.raises(
        DisallowedRedirect, match="Unsafe redirect to URL with protocol 'javascript'"
    ):
        HttpResponseRedirect("javascript:alert(1)")


def test_not_allowed_lists_the_methods() -> None:
    response = HttpResponseNotAllowed(["get", "HEAD"])

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_not_modified_has_no_body_headers() -> None:
    response = HttpResponseNotModified()

    assert response.status_code == 304
    assert "Content-Type" not in response
    assert "Content-Length" not in response


@pytest.mark.parametrize(
    ("response_class", "status"),
    [
        (HttpResponseBadRequest, 400),
        (HttpResponseForbidden, 403),
        (HttpResponseNotFound, 404),
        (HttpResponseGone, 410),
        (HttpResponseServerError, 500),
    ],
)
def test_status_classes(response_class: type[HttpResponse], status: int) -> None:
    response = response_class("body")

    assert response.status_code == status
    assert response.content == b"body"


def test_status_argument_overrides_the_class_status() -> None:
    assert HttpResponseNotFound(status=499).status_code == 499
    assert HttpResponse(status=599).reason_phrase == "Unknown Status Code"
