"""``runserver`` and ``serve`` as real processes, answering real HTTP on a free port."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import Server, StartServer, assert_one_line_error, free_port
from tests.cli.conftest import djanco as run

pytestmark = pytest.mark.slow

PRODUCTION = {"DJANCO_DEBUG": "false", "DJANCO_SECRET_KEY": secrets.token_urlsafe(50)}


def test_runserver_serves_the_home_page_and_404s(mysite: Path, start_server: StartServer) -> None:
    server = start_server("runserver", mysite)
    server.wait_until_up()
    home = server.get("/")
    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert "mysite is up and running" in home.text
    assert server.get("/missing").status_code == 404
    output = server.output()
    assert "System check identified no issues (0 silenced)." in output
    assert f"Starting development server at http://127.0.0.1:{server.port}/" in output

    taken = run("runserver", f"127.0.0.1:{server.port}", cwd=mysite)
    assert_one_line_error(taken, f"Port {server.port} on 127.0.0.1 is already in use")


def test_runserver_reloads_on_code_change(fresh_project: Path, start_server: StartServer) -> None:
    server = start_server("runserver", fresh_project)
    server.wait_until_up()
    assert server.get("/extra/").status_code == 404
    urls = fresh_project / "mysite" / "urls.py"
    urls.write_text(
        urls.read_text().replace(
            'path("", views.home, name="home"),',
            'path("", views.home, name="home"),\n    path("extra/", views.home),',
        )
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if server.get("/extra/").status_code == 200:
                return
        except Exception:  # the reloader restarts the worker: brief refusals are expected
            pass
        time.sleep(0.2)
    pytest.fail(f"the change was not picked up:\n{server.output()}")


def _poll(server: Server, path: str, status: int) -> httpx.Response:
    """GET ``path`` until it answers ``status``; the reloader restarts the process meanwhile."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            response = server.get(path)
        except httpx.TransportError:  # a restart in progress: brief refusals are expected
            response = None
        if response is not None and response.status_code == status:
            return response
        time.sleep(0.2)
    pytest.fail(f"{path} never answered {status}:\n{server.output()}")


def test_runserver_shows_a_broken_reload_and_recovers(
    fresh_project: Path, start_server: StartServer
) -> None:
    server = start_server("runserver", fresh_project)
    server.wait_until_up()
    settings = fresh_project / "mysite" / "settings.py"
    working = settings.read_text()
    settings.write_text(
        working.replace(
            'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
            'INSTALLED_APPS = ["blogg"]',
        )
    )
    broken = _poll(server, "/", 500)
    assert "Cannot import &#x27;blogg&#x27; listed in INSTALLED_APPS" in broken.text
    assert "Traceback" in broken.text
    # Every request is answered, not only the first.
    assert server.get("/missing").status_code == 500
    settings.write_text(working)
    assert "mysite is up and running" in _poll(server, "/", 200).text


def test_serve_refuses_debug(mysite: Path) -> None:
    port = str(free_port())
    assert_one_line_error(
        run("serve", port, cwd=mysite), "DEBUG is on", "DJANCO_DEBUG=false", "--insecure"
    )


def test_serve_refuses_the_development_key(mysite: Path) -> None:
    result = run("serve", str(free_port()), cwd=mysite, env={"DJANCO_DEBUG": "false"})
    assert_one_line_error(result, "SECRET_KEY", "development key", "DJANCO_SECRET_KEY")


def test_serve_with_two_workers_in_production(mysite: Path, start_server: StartServer) -> None:
    server = start_server("serve", mysite, "--workers", "2", env=PRODUCTION)
    server.wait_until_up()
    for _ in range(6):
        home = server.get("/")
        assert home.status_code == 200
        assert "mysite is up and running" in home.text
    missing = server.get("/missing")
    assert missing.status_code == 404
    assert "mysite.urls" not in missing.text  # no debug page in production
    assert server.output().count("Started server process") == 2


def test_serve_insecure_allows_debug(mysite: Path, start_server: StartServer) -> None:
    server = start_server("serve", mysite, "--insecure", "--no-access-log")
    server.wait_until_up()
    assert server.get("/").status_code == 200
