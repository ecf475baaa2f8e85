"""A new project's static files over real servers: runserver serves them from the finders,
collectstatic copies them, serve serves STATIC_ROOT with far-future caching for hashed names
and refuses paths outside it."""

from __future__ import annotations

import re
import secrets
import socket
from pathlib import Path

import pytest

from tests.cli.conftest import StartServer, djanco

pytestmark = pytest.mark.slow

PRODUCTION = {"DJANCO_DEBUG": "false", "DJANCO_SECRET_KEY": secrets.token_urlsafe(50)}
MANIFEST = (
    'STORAGES = {"staticfiles": '
    '{"BACKEND": "djanco.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}\n'
)


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """Send ``GET target`` byte for byte (no client normalises it); the status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_runserver_serves_the_new_projects_stylesheet(
    fresh_project: Path, start_server: StartServer
) -> None:
    server = start_server("runserver", fresh_project, "--noreload")
    server.wait_until_up()

    home = server.get("/")
    stylesheet = server.get("/static/css/site.css")
    assert '<link rel="stylesheet" href="/static/css/site.css">' in home.text
    assert stylesheet.status_code == 200
    assert stylesheet.headers["content-type"].startswith("text/css")
    assert stylesheet.text == (fresh_project / "static" / "css" / "site.css").read_text()
    assert "System check identified no issues" in server.output()


def test_collectstatic_then_serve_with_hashed_names(
    fresh_project: Path, start_server: StartServer
) -> None:
    settings = fresh_project / "mysite" / "settings.py"
    settings.write_text(settings.read_text() + MANIFEST)
    collected = djanco("collectstatic", "--noinput", cwd=fresh_project, env=PRODUCTION)
    assert collected.returncode == 0, collected.stderr
    assert collected.stdout == (
        f"\n1 static file copied to '{fresh_project / 'staticfiles'}', 1 post-processed.\n"
    )

    server = start_server("serve", fresh_project, env=PRODUCTION)
    server.wait_until_up()
    link = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', server.get("/").text)
    assert link is not None
    hashed = server.get(link[1])
    plain = server.get("/static/css/site.css")
    assert hashed.status_code == 200
    assert hashed.headers["cache-control"] == "public, max-age=315360000, immutable"
    assert plain.headers["cache-control"] == "public, max-age=60"
    assert hashed.text == plain.text

    key = PRODUCTION["DJANCO_SECRET_KEY"].encode()
    for target, status in [
        (b"/static/../mysite/settings.py", 404),
        (b"/static/%2e%2e/mysite/settings.py", 404),
        (b"/static/%2E%2E/%2E%2E/etc/passwd", 404),
        (b"/static/..%5cmysite%5csettings.py", 404),
        (b"/static//etc/passwd", 404),
        (b"/static/css/site.css%00.png", 400),
    ]:
        answer, body = raw_get(server.port, target)
        assert (target, answer) == (target, status)
        assert b"SECRET_KEY" not in body and key not in body and b"root:" not in body
