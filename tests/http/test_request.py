"""HttpRequest: query dict, headers, cookies, JSON and form bodies, host, scheme and URLs."""

from __future__ import annotations

import pytest
from starlette.datastructures import UploadFile

from djanco.core.exceptions import BadRequest
from djanco.http import HttpRequest, MultiValueDictKeyError, QueryDict
from tests.http.factory import make_request, override_settings


def test_get_is_a_multi_valued_query_dict() -> None:
    request = make_request(query="tag=a&tag=b&q=hello+world&empty=&enc=%C3%A9")

    assert isinstance(request.GET, QueryDict)
    assert request.GET["tag"] == "b"  # the last value, as in Django
    assert request.GET.getlist("tag") == ["a", "b"]
    assert request.GET.get("q") == "hello world"
    assert request.GET["empty"] == ""
    assert request.GET["enc"] == "é"
    assert request.GET.get("missing") is None
    assert request.GET.get("missing", "x") == "x"
    assert request.GET.getlist("missing") == []
    assert request.GET.getlist("missing", ["d"]) == ["d"]
    assert request.GET.lists()[0] == ("tag", ["a", "b"])
    assert request.GET.dict()["tag"] == "b"


def test_missing_query_key_raises_a_key_error_naming_it() -> None:
    request = make_request(query="a=1")

    with pytest.raises(MultiValueDictKeyError, match="'b'") as caught:
        request.GET["b"]
    assert isinstance(caught.value, KeyError)


def test_query_dict_urlencode_keeps_every_value() -> None:
    assert QueryDict("a=1&a=2&b=x y").urlencode() == "a=1&a=2&b=x+y"


def test_method_path_headers_and_cookies() -> None:
    request = make_request(
        "POST",
        "/blog/café/",
        headers=[("Host", "testserver"), ("X-Custom", "yes"), ("Cookie", "a=1; b=two")],
    )

    assert request.method == "POST"
    assert request.path == "/blog/café/"
    assert request.headers["x-custom"] == "yes"
    assert request.headers["X-CUSTOM"] == "yes"
    assert request.cookies == {"a": "1", "b": "two"}
    assert repr(request) == "<HttpRequest: POST '/blog/caf%C3%A9/'>"


def test_construction_reads_nothing() -> None:
    async def receive() -> dict[str, object]:
        raise AssertionError("the body must not be read when the request is built")

    scope = make_request(query="a=1").scope
    request = HttpRequest(scope, receive)

    assert request.path == "/"
    assert "GET" not in vars(request)  # parsed on first access only


def test_path_info_strips_the_root_path() -> None:
    request = make_request(path="/items/", root_path="/app")

    assert request.path == "/app/items/"
    assert request.path_info == "/items/"


async def test_json_body() -> None:
    request = make_request("POST", body=b'{"name": "Ada", "tags": [1, 2]}')

    assert await request.json() == {"name": "Ada", "tags": [1, 2]}
    assert await request.json() == {"name": "Ada", "tags": [1, 2]}  # cached


async def test_malformed_json_body_is_a_bad_request_saying_why() -> None:
    request = make_request("POST", body=b'{"name": ')

    with pytest.raises(BadRequest, match=r"^Malformed JSON body: Expecting value: line 1"):
        await request.json()


async def test_empty_json_body_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="Malformed JSON body: the request body is empty"):
        await make_request("POST", body=b"").json()


async def test_non_utf8_json_body_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match=r"Malformed JSON body: .*codec can't decode"):
        await make_request("POST", body=b'"\xff\xfe\xfa"').json()


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
async def test_deeply_nested_json_is_a_bad_request(opener: bytes) -> None:
    request = make_request("POST", body=opener * 100_000)
    with pytest.raises(BadRequest, match="Malformed JSON body: nested too deeply"):
        await request.json()


async def test_urlencoded_form() -> None:
    request = make_request(
        "POST",
        headers=[("content-type", "application/x-www-form-urlencoded")],
        body=b"name=Ada&lang=py&lang=rs",
    )

    form = await request.form()

    assert form["name"] == "Ada"
    assert form.getlist("lang") == ["py", "rs"]
    assert request.content_type == "application/x-www-form-urlencoded"


async def test_multipart_form_with_a_file() -> None:
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\n'
        b"Report\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="doc"; filename="r.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"file body\r\n"
        b"--XyZ--\r\n"
    )
    request = make_request(
        "POST", headers=[("content-type", "multipart/form-data; boundary=XyZ")], body=body
    )

    async with request.form() as form:
        assert form["title"] == "Report"
        upload = form["doc"]
        assert isinstance(upload, UploadFile)
        assert upload.filename == "r.txt"
        assert await upload.read() == b"file body"


async def test_malformed_multipart_body_is_a_bad_request() -> None:
    request = make_request(
        "POST", headers=[("content-type", "multipart/form-data")], body=b"--x\r\n"
    )

    with pytest.raises(BadRequest, match=r"^Malformed form body: Missing boundary"):
        await request.form()


def test_get_host_uses_the_host_header() -> None:
    assert make_request(headers=[("host", "example.com:8000")]).get_host() == "example.com:8000"


def test_get_host_falls_back_to_the_server_address() -> None:
    assert make_request(headers=[], server=("10.0.0.1", 80)).get_host() == "10.0.0.1"
    assert make_request(headers=[], server=("10.0.0.1", 8080)).get_host() == "10.0.0.1:8080"


def test_x_forwarded_host_is_used_only_when_enabled() -> None:
    headers = [("host", "internal"), ("x-forwarded-host", "example.com, proxy")]

    assert make_request(headers=headers).get_host() == "internal"
    with override_settings(USE_X_FORWARDED_HOST=True):
        assert make_request(headers=headers).get_host() == "example.com"


def test_scheme_and_is_secure() -> None:
    assert make_request().scheme == "http"
    assert not make_request().is_secure()
    assert make_request(scheme="https").is_secure()


@pytest.mark.parametrize("header", ["HTTP_X_FORWARDED_PROTO", "X-Forwarded-Proto"])
def test_secure_proxy_ssl_header_is_trusted_when_set(header: str) -> None:
    proxied = [("host", "testserver"), ("x-forwarded-proto", "https")]

    assert not make_request(headers=proxied).is_secure()  # not trusted by default
    with override_settings(SECURE_PROXY_SSL_HEADER=(header, "https")):
        assert make_request(headers=proxied).is_secure()
        assert make_request(headers=proxied).scheme == "https"
        insecure = make_request(headers=[("x-forwarded-proto", "http")], scheme="https")
        assert not insecure.is_secure()


def test_get_full_path() -> None:
    request = make_request(path="/a b/c", query="x=1&y=%20")

    assert request.get_full_path() == "/a%20b/c?x=1&y=%20"
    assert make_request(path="/a").get_full_path(force_append_slash=True) == "/a/"


def test_build_absolute_uri() -> None:
    request = make_request(path="/blog/post/", query="page=2", headers=[("host", "example.com")])

    assert request.build_absolute_uri() == "http://example.com/blog/post/?page=2"
    assert request.build_absolute_uri("/other/") == "http://example.com/other/"
    assert request.build_absolute_uri("../list/") == "http://example.com/blog/list/"
    assert request.build_absolute_uri("edit/") == "http://example.com/blog/post/edit/"
    assert request.build_absolute_uri("https://cdn.test/x") == "https://cdn.test/x"
    assert request.build_absolute_uri("//cdn.test/x") == "http://cdn.test/x"


def test_query_dict_copy_is_mutable_and_leaves_the_original_alone() -> None:
    # Django's idiom for links that keep the other parameters: q = request.GET.copy().
    request = make_request(query="q=djanco&page=1&tag=a&tag=b")
    query = request.GET.copy()
    query["page"] = "2"
    query.appendlist("tag", "c")
    query.setlist("sort", ["new"])
    assert query.urlencode() == "q=djanco&page=2&tag=a&tag=b&tag=c&sort=new"  # Django's order
    assert query["page"] == "2"
    assert query.getlist("tag") == ["a", "b", "c"]
    assert query.lists()[2] == ("tag", ["a", "b", "c"])
    assert query.setlistdefault("x", ["1"]) == ["1"]
    with pytest.raises(MultiValueDictKeyError):
        query["missing"]
    assert request.GET.urlencode() == "q=djanco&page=1&tag=a&tag=b"
