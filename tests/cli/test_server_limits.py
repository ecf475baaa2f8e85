"""Hostile clients against real ``djanco serve``/``runserver`` processes, over raw sockets:
oversized bodies and headers, slow clients. Each gets a clean 4xx and the connection is
closed; memory stays bounded and other clients are served meanwhile."""

from __future__ import annotations

import secrets
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import Server, StartServer, startproject

pytestmark = pytest.mark.slow

PRODUCTION = {"DJANCO_DEBUG": "false", "DJANCO_SECRET_KEY": secrets.token_urlsafe(50)}
MB = 1024 * 1024

HOSTILE_VIEWS = '''"""Views that read the request body, for the server limit tests."""

from djanco.http import HttpRequest, HttpResponse, JsonResponse


async def body_size(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(await request.body())))


async def echo_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"got": await request.json()})
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project with two views that read the body: /body-size/ and /echo/."""
    project = startproject(tmp_path_factory.mktemp("limits"))
    (project / "mysite" / "hostile.py").write_text(HOSTILE_VIEWS)
    urls = project / "mysite" / "urls.py"
    urls.write_text(
        urls.read_text()
        .replace("from mysite import views", "from mysite import hostile, views")
        .replace(
            'path("", views.home, name="home"),',
            'path("", views.home, name="home"),\n'
            '    path("body-size/", hostile.body_size),\n'
            '    path("echo/", hostile.echo_json),',
        )
    )
    return project


@pytest.fixture
def serve(site: Path, start_server: StartServer) -> Server:
    server = start_server("serve", site, "--no-access-log", env=PRODUCTION)
    server.wait_until_up()
    return server


@pytest.fixture
def impatient(site: Path, start_server: StartServer) -> Server:
    """``djanco serve`` with 1-second header and body timeouts."""
    env = {**PRODUCTION, "DJANCO_REQUEST_HEADERS_TIMEOUT": "1", "DJANCO_REQUEST_BODY_TIMEOUT": "1"}
    server = start_server("serve", site, "--no-access-log", env=env)
    server.wait_until_up()
    return server


@pytest.fixture
def connect(serve: Server) -> Iterator[socket.socket]:
    with socket.create_connection(("127.0.0.1", serve.port), timeout=30) as sock:
        yield sock


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:  # the server closed with our unread bytes: what came first stays
        pass
    return data


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


def send_until_answered(sock: socket.socket, pieces: Iterator[bytes], pause: float = 0) -> int:
    """Send ``pieces`` one by one until the server answers or closes; the bytes sent."""
    sent = 0
    for piece in pieces:
        try:
            sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(piece)
        if select.select([sock], [], [], pause)[0]:
            break
    return sent


def peak_memory_kb(server: Server) -> int:
    """The server process's peak resident memory (VmHWM); with one worker, uvicorn serves in
    the ``djanco serve`` process itself."""
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/<pid>/status")


# -- request body ------------------------------------------------------------------------


def test_a_body_within_the_limit_is_read(serve: Server) -> None:
    response = httpx.post(serve.base_url + "/body-size/", content=b"x" * (2 * MB))
    assert response.status_code == 200
    assert response.text == str(2 * MB)


@pytest.mark.parametrize("size", [10 * MB, 100 * MB])
def test_a_declared_body_over_the_limit_is_413_before_it_is_sent(
    serve: Server, connect: socket.socket, size: int
) -> None:
    connect.sendall(
        b"POST /body-size/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % size
    )
    response = answer(connect)  # without sending a byte of the body
    assert status_of(response) == 413
    assert b"connection: close" in response.lower()
    assert b"DATA_UPLOAD_MAX_MEMORY_SIZE" in response


def test_a_chunked_body_is_cut_off_past_the_limit_with_memory_bounded(
    serve: Server, connect: socket.socket
) -> None:
    before = peak_memory_kb(serve)
    connect.sendall(
        b"POST /body-size/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    pieces = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(50 * MB // len(chunk)))
    sent = send_until_answered(connect, pieces)
    assert status_of(answer(connect)) == 413
    assert sent < 25 * MB  # cut off well before the 50 MB were sent
    growth_kb = peak_memory_kb(serve) - before
    assert growth_kb < 12 * 1024, f"peak memory grew by {growth_kb} kB for a 50 MB body"
    assert serve.get("/").status_code == 200


def test_deeply_nested_json_is_400(serve: Server) -> None:
    response = httpx.post(serve.base_url + "/echo/", content=b"[" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.text


# -- headers -----------------------------------------------------------------------------


def test_a_1mb_header_value_is_431_with_memory_bounded(
    serve: Server, connect: socket.socket
) -> None:
    before = peak_memory_kb(serve)
    connect.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
    value = (b"a" * 65536 for _ in range(256))  # 16 MB, never finished
    send_until_answered(connect, value)
    assert status_of(answer(connect)) == 431
    assert peak_memory_kb(serve) - before < 4 * 1024


def test_20000_header_fields_are_431(serve: Server, connect: socket.socket) -> None:
    fields = b"".join(b"X-Field-%d: v\r\n" % index for index in range(20_000))
    send_until_answered(connect, iter([b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", fields]))
    assert status_of(answer(connect)) == 431


def test_101_header_fields_are_431_and_100_are_served(serve: Server) -> None:
    fields = {f"x-field-{index}": "v" for index in range(95)}  # + host, accept, ... = 100
    assert httpx.get(serve.base_url + "/", headers=fields).status_code == 200
    with socket.create_connection(("127.0.0.1", serve.port), timeout=30) as sock:
        many = b"".join(b"X-Field-%d: v\r\n" % index for index in range(100))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n")
        assert status_of(answer(sock)) == 431


def test_a_1mb_url_is_414(serve: Server, connect: socket.socket) -> None:
    send_until_answered(connect, iter([b"GET /" + b"a" * MB + b" HTTP/1.1\r\n\r\n"]))
    assert status_of(answer(connect)) == 414


def test_runserver_limits_headers_too(site: Path, start_server: StartServer) -> None:
    server = start_server("runserver", site, "--noreload")
    server.wait_until_up()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * MB + b"\r\n\r\n")
        assert status_of(answer(sock)) == 431


def test_header_limits_are_settings(site: Path, start_server: StartServer) -> None:
    env = {**PRODUCTION, "DJANCO_REQUEST_HEADERS_MAX_SIZE": "131072"}
    server = start_server("serve", site, "--no-access-log", env=env)
    server.wait_until_up()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n")
        assert status_of(answer(sock)) == 200


# -- slow clients ------------------------------------------------------------------------


def test_headers_sent_a_byte_at_a_time_get_408_while_others_are_served(
    impatient: Server,
) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=30) as slow:
        trickle = (bytes([byte]) for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" * 100)
        send_until_answered(slow, trickle, pause=0.2)
        assert impatient.get("/").status_code == 200  # the slow client holds nothing up
        assert status_of(answer(slow)) == 408


def test_a_body_sent_a_byte_at_a_time_gets_408(impatient: Server) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=30) as slow:
        slow.sendall(
            b"POST /body-size/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
        )
        send_until_answered(slow, (b"x" for _ in range(1000)), pause=0.2)
        assert impatient.get("/").status_code == 200
        assert status_of(answer(slow)) == 408


def test_a_connection_that_sends_nothing_is_closed(impatient: Server) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=30) as idle:
        assert status_of(answer(idle)) == 408


def test_a_quick_upload_is_not_a_slow_client(impatient: Server) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=30) as client:
        client.sendall(
            b"POST /body-size/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000\r\n\r\n"
        )
        time.sleep(0.5)  # within the 1-second grace, then fast
        client.sendall(b"x" * 3000)
        response = b""
        while not response.endswith(b"\r\n\r\n3000"):  # the connection is kept alive
            response += client.recv(65536)
    assert status_of(response) == 200
