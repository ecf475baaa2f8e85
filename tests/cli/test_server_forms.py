"""Forms over a real ``djanco serve``: a POST with and without its CSRF token, a large upload
spooled to disk with memory bounded, and malformed or oversized multipart bodies."""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import Server, add_views, startproject

# ``serve``: djanco serve in production mode, on this module's ``site``.
from tests.cli.test_server_limits import answer, peak_memory_kb, serve, status_of

pytestmark = pytest.mark.slow
__all__ = ["serve"]

MB = 1024 * 1024

FORM_VIEWS = '''"""A poll form and an upload form, read as Django's tutorial reads them."""

import hashlib

from djanco.core.files import TemporaryUploadedFile
from djanco.http import HttpRequest, HttpResponse, JsonResponse
from djanco.shortcuts import render


def vote(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponse(f"You chose {request.POST['choice']}.")
    return render(request, "vote.html")


def upload(request: HttpRequest) -> JsonResponse:
    report = request.FILES["report"]
    digest = hashlib.sha256()
    for chunk in report.chunks():
        digest.update(chunk)
    return JsonResponse(
        {
            "name": report.name,
            "size": report.size,
            "sha256": digest.hexdigest(),
            "on_disk": isinstance(report, TemporaryUploadedFile),
            "fields": len(request.POST),
        }
    )
'''
VOTE_TEMPLATE = '<form method="post">{{ csrf_input }}<input name="choice"></form>\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project with /vote/ (a form page and its POST) and /upload/."""
    project = startproject(tmp_path_factory.mktemp("forms"))
    add_views(project, "forms", FORM_VIEWS, {"vote/": "vote", "upload/": "upload"})
    (project / "templates" / "vote.html").write_text(VOTE_TEMPLATE)
    return project


@pytest.fixture
def browser(serve: Server) -> Iterator[httpx.Client]:
    """A client that keeps cookies, as a browser does."""
    with httpx.Client(base_url=serve.base_url, timeout=60) as client:
        yield client


def token_from_form(browser: httpx.Client) -> str:
    page = browser.get("/vote/")
    assert page.status_code == 200
    match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.text)
    assert match is not None, page.text
    return match[1]


def test_a_form_post_with_its_token_is_read_and_without_it_refused(
    browser: httpx.Client,
) -> None:
    token = token_from_form(browser)
    assert "csrftoken" in browser.cookies
    voted = browser.post("/vote/", data={"csrfmiddlewaretoken": token, "choice": "Tea"})
    assert voted.status_code == 200
    assert voted.text == "You chose Tea."
    forged = browser.post("/vote/", data={"choice": "Tea"})
    assert forged.status_code == 403
    assert "CSRF verification failed" in forged.text
    assert "More information is available with DEBUG=True." in forged.text
    cross_site = browser.post(
        "/vote/",
        data={"csrfmiddlewaretoken": token, "choice": "Tea"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403


def test_an_upload_larger_than_memory_is_spooled_with_memory_bounded(
    serve: Server, browser: httpx.Client, tmp_path: Path
) -> None:
    token = token_from_form(browser)
    warm = browser.post(
        "/upload/", data={"csrfmiddlewaretoken": token}, files={"report": ("a.txt", b"a")}
    )
    assert warm.json()["on_disk"] is False  # small: kept in memory
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        for _ in range(60):
            out.write(os.urandom(MB))
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    before = peak_memory_kb(serve)
    with big.open("rb") as content:
        response = browser.post(
            "/upload/",
            data={"csrfmiddlewaretoken": token},
            files={"report": ("big.bin", content, "application/octet-stream")},
        )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "name": "big.bin",
        "size": 60 * MB,
        "sha256": expected,
        "on_disk": True,  # past FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
        "fields": 1,
    }
    growth_kb = peak_memory_kb(serve) - before
    assert growth_kb < 20 * 1024, f"peak memory grew by {growth_kb} kB for a 60 MB upload"


def test_a_malformed_multipart_body_is_400(serve: Server) -> None:
    with socket.create_connection(("127.0.0.1", serve.port), timeout=30) as sock:
        body = b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nunfinished'
        sock.sendall(
            b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: multipart/form-data; boundary=XyZ\r\n"
            b"Cookie: csrftoken=" + b"a" * 32 + b"\r\nX-CSRFToken: " + b"a" * 32 + b"\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        response = answer(sock)
    assert status_of(response) == 400
    assert serve.get("/").status_code == 200


def test_too_many_fields_is_400(browser: httpx.Client) -> None:
    token = token_from_form(browser)
    fields = {f"field{index}": "v" for index in range(1001)}  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = browser.post("/vote/", data={"csrfmiddlewaretoken": token, **fields})
    assert response.status_code == 400
    multipart = browser.post(
        "/upload/",
        data={"csrfmiddlewaretoken": token, **fields},
        files={"report": ("a.txt", b"a")},
    )
    assert multipart.status_code == 400


def test_multipart_fields_over_the_memory_limit_are_413(browser: httpx.Client) -> None:
    token = token_from_form(browser)
    response = browser.post(
        "/upload/",
        data={"csrfmiddlewaretoken": token, "notes": "x" * (3 * MB)},
        files={"report": ("a.txt", b"a")},
    )
    assert response.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.text
