"""Serving STATIC_URL: from the finders with DEBUG, from STATIC_ROOT without, with far-future
caching for content-hashed names; no path reaches a file outside the directories served."""

from __future__ import annotations

import json

import anyio
import pytest
from starlette.types import Message, Scope

from djanco.asgi import get_asgi_app
from djanco.contrib.staticfiles.commands import collectstatic
from djanco.test import Client
from tests.contrib.staticfiles.conftest import MANIFEST_STORAGE, PROJECT_STATIC, Project
from tests.http.factory import Sent, override_settings

SITE_CSS = (PROJECT_STATIC / "css" / "site.css").read_bytes()


def test_with_debug_the_finders_files_are_served(project: Project, client: Client) -> None:
    css = client.get("/static/css/site.css")
    app_file = client.get("/static/app_one/app.js")
    prefixed = client.get("/static/downloads/report.txt")

    assert (css.status_code, css.content) == (200, SITE_CSS)
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in css.headers  # an edit shows on the next reload
    assert app_file.text == 'console.log("one");\n'
    assert prefixed.text == "quarterly report\n"
    assert client.get("/static/shared.txt").text == "from app_one\n"  # first app wins


def test_head_conditional_and_range_requests(project: Project, client: Client) -> None:
    first = client.get("/static/css/site.css")
    head = client.head("/static/css/site.css")
    again = client.get("/static/css/site.css", headers={"If-None-Match": first.headers["etag"]})
    part = client.get("/static/css/site.css", headers={"Range": "bytes=0-3"})

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(SITE_CSS))
    assert (again.status_code, again.content) == (304, b"")
    assert (part.status_code, part.content) == (206, SITE_CSS[:4])


def test_missing_files_and_other_methods(project: Project, client: Client) -> None:
    assert client.get("/static/css/nope.css").status_code == 404
    assert client.get("/static/css/").status_code == 404
    assert client.get("/static/").status_code == 404
    refused = client.post("/static/css/site.css")
    assert (refused.status_code, refused.headers["allow"]) == (405, "GET, HEAD")


def test_other_urls_still_reach_the_views(project: Project, client: Client) -> None:
    assert client.get("/").status_code == 200  # tests.templates.urls has a home page
    assert client.get("/statics/css/site.css").status_code == 404


def test_without_the_app_nothing_is_served(client: Client) -> None:
    with override_settings(STATICFILES_DIRS=[PROJECT_STATIC]):
        response = client.get("/static/css/site.css")

    assert response.status_code == 404
    assert b"body {" not in response.content


def test_a_static_url_on_another_host_is_not_served(project: Project, client: Client) -> None:
    with override_settings(STATIC_URL="https://cdn.example.com/static/"):
        assert client.get("/static/css/site.css").status_code == 404


def test_static_url_may_be_changed(project: Project, client: Client) -> None:
    with override_settings(STATIC_URL="/assets/"):
        assert client.get("/assets/css/site.css").content == SITE_CSS
        assert client.get("/static/css/site.css").status_code == 404


async def asgi_get(path: str, *, root_path: str = "") -> Sent:
    """GET ``path`` as a server would pass it (decoded, not normalised) to the ASGI app."""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": root_path + path,
        "raw_path": (root_path + path).encode("utf-8", "surrogateescape"),
        "root_path": root_path,
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }
    messages: list[Message] = []
    received = False

    async def receive() -> Message:
        nonlocal received
        if received:  # the client stays connected until the response is sent
            await anyio.sleep_forever()
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    await get_asgi_app()(scope, receive, send)
    return Sent(messages)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/static/../secret.txt", 404),
        ("/static/css/../../secret.txt", 404),
        ("/static/downloads/../../secret.txt", 404),
        ("/static/%2e%2e/secret.txt", 404),  # a literal name once decoded by the server
        ("/static//etc/passwd", 404),
        ("/static/" + str(PROJECT_STATIC.parent / "secret.txt"), 404),
        ("/static/css\\..\\..\\secret.txt", 404),
        ("/static/..\\secret.txt", 404),
        ("/static/C:/Windows/win.ini", 404),
        ("/static/css/site.css\x00.png", 400),
        ("/static/\x00", 400),
    ],
)
async def test_paths_outside_the_roots_are_refused(
    project: Project, path: str, status: int, debug: bool
) -> None:
    (project.static_root / "css").mkdir(parents=True)
    (project.static_root / "css" / "site.css").write_bytes(SITE_CSS)
    with override_settings(DEBUG=debug):
        sent = await asgi_get(path)

    assert sent.status == status
    assert b"SECRET" not in sent.body
    assert b"root:" not in sent.body


async def test_a_refusal_says_why(project: Project) -> None:
    traversal, nul = await asgi_get("/static/../secret.txt"), await asgi_get("/static/a\x00")

    assert traversal.body == b"The path has a '..' segment."
    assert nul.body == b"The path contains a NUL character."


async def test_a_mount_under_a_root_path(project: Project) -> None:
    sent = await asgi_get("/static/css/site.css", root_path="/shop")

    assert (sent.status, sent.body) == (200, SITE_CSS)


def test_without_debug_static_root_is_served(project: Project, client: Client) -> None:
    collectstatic.command(noinput=True, verbosity=0)
    with override_settings(DEBUG=False):
        collected = client.get("/static/css/site.css")
        not_collected = client.get("/static/late.css")

    assert (collected.status_code, collected.content) == (200, SITE_CSS)
    assert collected.headers["cache-control"] == "public, max-age=60"
    assert not_collected.status_code == 404


def test_without_debug_or_static_root_nothing_is_served(project: Project, client: Client) -> None:
    with override_settings(DEBUG=False, STATIC_ROOT=None):
        assert client.get("/static/css/site.css").status_code == 404


def test_hashed_names_are_cached_for_a_year(project: Project, client: Client) -> None:
    with override_settings(STORAGES=MANIFEST_STORAGE):
        collectstatic.command(noinput=True, verbosity=0)
        manifest = json.loads((project.static_root / "staticfiles.json").read_text())
        hashed = manifest["paths"]["img/logo.png"]
        with override_settings(DEBUG=False):
            versioned = client.get(f"/static/{hashed}")
            plain = client.get("/static/img/logo.png")

    assert versioned.status_code == 200
    assert versioned.headers["cache-control"] == "public, max-age=315360000, immutable"
    assert plain.headers["cache-control"] == "public, max-age=60"
    assert versioned.content == plain.content
