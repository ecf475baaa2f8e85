"""DATA_UPLOAD_MAX_MEMORY_SIZE: body(), json() and urlencoded form() refuse larger bodies
without reading them whole; stream() stays unlimited for views that take large uploads."""

from __future__ import annotations

import pytest
from starlette.types import Message, Scope

from djanco.core.exceptions import BadRequest, RequestDataTooBig
from djanco.http import HttpRequest
from tests.http.factory import make_request, override_settings

LIMIT = 1000


class ChunkedBody:
    """An ASGI receive() that hands out ``count`` chunks of ``size`` bytes, counting reads."""

    def __init__(self, count: int, size: int = 100) -> None:
        self.count = count
        self.size = size
        self.sent = 0

    async def __call__(self) -> Message:
        self.sent += 1
        more = self.sent < self.count
        return {"type": "http.request", "body": b"x" * self.size, "more_body": more}


def chunked_request(body: ChunkedBody, content_type: str = "application/json") -> HttpRequest:
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode())],
    }
    return HttpRequest(scope, body)


@pytest.fixture(autouse=True)
def _small_limit() -> object:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT):
        yield


async def test_a_body_within_the_limit_is_read() -> None:
    request = make_request("POST", body=b"x" * LIMIT, headers=[("content-length", str(LIMIT))])
    assert await request.body() == b"x" * LIMIT


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    body = ChunkedBody(count=100)
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "query_string": b"",
        "headers": [(b"content-length", str(LIMIT + 1).encode())],
    }
    with pytest.raises(RequestDataTooBig, match=r"DATA_UPLOAD_MAX_MEMORY_SIZE \(1000 bytes\)"):
        await HttpRequest(scope, body).body()
    assert body.sent == 0


async def test_a_chunked_body_is_cut_off_as_soon_as_it_passes_the_limit() -> None:
    body = ChunkedBody(count=1000)  # 100 kB in 100-byte chunks
    with pytest.raises(RequestDataTooBig):
        await chunked_request(body).body()
    assert body.sent == LIMIT // body.size + 1


async def test_json_and_urlencoded_forms_obey_the_limit() -> None:
    with pytest.raises(RequestDataTooBig):
        await chunked_request(ChunkedBody(count=20)).json()
    form = chunked_request(ChunkedBody(count=20), "application/x-www-form-urlencoded")
    with pytest.raises(RequestDataTooBig):
        await form.form()


async def test_stream_is_not_limited() -> None:
    request = chunked_request(ChunkedBody(count=50))
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
    assert received == 50 * 100


async def test_none_removes_the_limit() -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        assert len(await chunked_request(ChunkedBody(count=50)).body()) == 50 * 100


async def test_an_invalid_content_length_is_a_bad_request() -> None:
    request = make_request("POST", body=b"{}", headers=[("content-length", "lots")])
    with pytest.raises(BadRequest, match="Invalid Content-Length header: 'lots'"):
        await request.body()
