"""The sync and async test clients send what a Django user expects and keep cookies."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from djanco.test import AsyncClient, Client


def test_get_data_becomes_the_query_string(client: Client) -> None:
    response = client.get("/echo/", {"q": "djanco", "tag": ["a", "b"]})
    assert response.status_code == 200
    assert response.json()["query"] == {"q": ["djanco"], "tag": ["a", "b"]}
    assert response.json()["method"] == "GET"


def test_post_mapping_is_an_urlencoded_form(client: Client) -> None:
    sent = client.post("/echo/", {"name": "Ada", "n": 3}).json()
    assert sent["content_type"] == "application/x-www-form-urlencoded"
    assert sent["body"] == "name=Ada&n=3"


def test_json_argument_sends_a_json_body(client: Client) -> None:
    sent = client.post("/echo/", json={"title": "Hello", "tags": [1, 2]}).json()
    assert sent["content_type"] == "application/json"
    assert json.loads(sent["body"]) == {"title": "Hello", "tags": [1, 2]}


def test_json_content_type_encodes_a_mapping(client: Client) -> None:
    sent = client.put("/echo/", {"a": 1}, content_type="application/vnd.api+json").json()
    assert sent["content_type"] == "application/vnd.api+json"
    assert json.loads(sent["body"]) == {"a": 1}


def test_raw_body_with_content_type(client: Client) -> None:
    sent = client.patch("/echo/", "<a/>", content_type="application/xml").json()
    assert (sent["method"], sent["content_type"], sent["body"]) == (
        "PATCH",
        "application/xml",
        "<a/>",
    )
    assert client.delete("/echo/", b"raw").json()["content_type"] == "application/octet-stream"


def test_files_are_uploaded_as_multipart(client: Client) -> None:
    sent = client.post(
        "/upload/",
        {"title": "Report", "tag": ["a", "b"]},
        files={"report": ("report.txt", b"all good", "text/plain")},
    ).json()
    assert sent["content_type"].startswith("multipart/form-data; boundary=")
    assert sent["fields"] == {
        "title": ["Report"],
        "tag": ["a", "b"],
        "report": {"filename": "report.txt", "content": "all good"},
    }


def test_multipart_content_type_without_files(client: Client) -> None:
    sent = client.post("/upload/", {"n": 1}, content_type="multipart/form-data").json()
    assert sent["content_type"].startswith("multipart/form-data; boundary=")
    assert sent["fields"] == {"n": ["1"]}


def test_mapping_with_an_unencodable_content_type_is_refused(client: Client) -> None:
    with pytest.raises(TypeError, match="Cannot encode a mapping as 'text/csv'"):
        client.post("/echo/", {"a": "1"}, content_type="text/csv")


def test_headers_are_sent(client: Client) -> None:
    assert client.get("/echo/", headers={"X-Test": "yes"}).json()["x_test"] == "yes"


def test_string_data_for_get_is_rejected(client: Client) -> None:
    with pytest.raises(TypeError, match="GET data must be a mapping of query parameters"):
        client.get("/echo/", "q=1")


def test_cookies_persist_between_requests(client: Client) -> None:
    assert client.get("/cookie/show/").text == "none"
    client.get("/cookie/set/", {"flavour": "mint"})
    assert client.cookies["flavour"] == "mint"
    assert client.get("/cookie/show/").text == "mint"


def test_redirects_are_not_followed_unless_asked(client: Client) -> None:
    response = client.get("/go/")
    assert response.status_code == 302
    assert response.headers["location"] == "/landing/"
    followed = client.get("/go/", follow=True)
    assert (followed.status_code, followed.text) == (200, "landed")
    assert [hop.status_code for hop in followed.history] == [302]


def test_compressed_responses_are_decoded(client: Client) -> None:
    response = client.get("/big/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "x" * 5000


def test_head_and_options(client: Client) -> None:
    assert client.head("/landing/").content == b""
    assert client.options("/echo/").json()["method"] == "OPTIONS"


def test_client_without_context_manager_works_per_request() -> None:
    def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"hello {request.url.hostname}")

    plain = Client(Starlette(routes=[Route("/", hello)]))
    try:
        assert plain.get("/").text == "hello testserver"
        assert plain.get("/").text == "hello testserver"
    finally:
        plain.close()


async def test_async_client_sends_and_keeps_cookies(async_client: AsyncClient) -> None:
    await async_client.get("/cookie/set/", {"flavour": "lemon"})
    assert (await async_client.get("/cookie/show/")).text == "lemon"
    sent = (await async_client.post("/echo/", json=[1, 2])).json()
    assert (sent["content_type"], sent["body"]) == ("application/json", "[1, 2]")


async def test_async_client_follows_redirects(async_client: AsyncClient) -> None:
    assert (await async_client.get("/go/")).status_code == 302
    followed = await async_client.get("/go/", follow=True)
    assert followed.text == "landed"
    assert followed.history[0].headers["location"] == "/landing/"


async def test_sync_client_works_inside_a_running_event_loop(client: Client) -> None:
    # The sync client runs the app on its own loop thread, so it never blocks on ours.
    assert client.get("/landing/").text == "landed"
