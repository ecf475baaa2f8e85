"""GZipMiddleware: compresses big enough responses for clients that accept gzip."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx

from tests.middleware import urls


async def _raw(client: httpx.AsyncClient, path: str, accept: str) -> httpx.Response:
    # Read the body undecoded, as it went over the wire.
    async with client.stream("GET", path, headers={"Accept-Encoding": accept}) as response:
        response.raw_body = b"".join([chunk async for chunk in response.aiter_raw()])  # type: ignore[attr-defined]
        return response


async def test_big_response_is_compressed(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/big/", "gzip, deflate")
    body: bytes = response.raw_body  # type: ignore[attr-defined]
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) == len(body)
    assert gzip.decompress(body) == b"Djanco! " * 100


async def test_client_sees_the_original_body(aclient: httpx.AsyncClient) -> None:
    assert (await aclient.get("/big/")).text == "Djanco! " * 100


async def test_not_compressed_without_accept_encoding(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/big/", "identity")
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.raw_body == b"Djanco! " * 100  # type: ignore[attr-defined]


async def test_small_response_is_not_compressed(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/small/", "gzip")
    assert "content-encoding" not in response.headers
    assert response.raw_body == b"tiny"  # type: ignore[attr-defined]


async def test_already_encoded_response_is_left_alone(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/big-encoded/", "gzip")
    assert response.headers["content-encoding"] == "br"
    assert response.raw_body == b"x" * 500  # type: ignore[attr-defined]


async def test_streaming_response_is_compressed(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/stream/", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    expected = "".join(f"line {index}\n" for index in range(50)).encode()
    assert gzip.decompress(response.raw_body) == expected  # type: ignore[attr-defined]


async def test_file_response_is_sent_as_it_is(aclient: httpx.AsyncClient) -> None:
    response = await _raw(aclient, "/file/", "gzip")
    assert "content-encoding" not in response.headers
    assert response.raw_body == Path(urls.__file__).read_bytes()  # type: ignore[attr-defined]
