"""Soak run: ``wrk`` against ``djanco serve --workers 2`` on PostgreSQL, mixing reads, writes
and hostile requests, while slow clients trickle bytes; reports the 5xx count and the server's
memory at start and end.

Run: ``python bench/soak.py [--seconds 60] [--connections 64] [--workers 2] [--database URL]``
with the project's venv (it runs that venv's ``djanco``) and ``wrk`` on the PATH. ``--database``
names a PostgreSQL server (default ``postgresql://postgres@127.0.0.1:5432/postgres``); the run
creates its own database ``djanco_soak_<pid>`` there and drops it afterwards.

What it does, in order:

1. scaffolds a project in a temporary directory with an app ``items`` (a model, JSON views to
   read an item (async and sync) and create one), makes and applies its migration, seeds 100
   items;
2. starts ``djanco serve --workers N`` in production mode and sends each hostile request once,
   printing what it got: a deeply nested JSON body, a body over DATA_UPLOAD_MAX_MEMORY_SIZE,
   a 64 KB header, 101 header fields, a 40-digit primary key in the URL;
3. records the resident memory (VmRSS) of each server process, then runs wrk for the given
   time, its Lua script mixing 60 % reads, 25 % writes, 10 % home pages and 5 % of the hostile
   requests above, while 16 slow clients send headers a byte a second;
4. records the memory again, stops the server, drops the database, and prints the status
   counts, the slow clients' answers and the memory; exits 1 if any answer was a 5xx.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from djanco.db.backends.testing import TestDatabase

DJANCO = Path(sys.executable).with_name("djanco")
BODY_LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE's default

MODELS = '''"""The soak run's one model."""

from djanco.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
'''

VIEWS = '''"""Read an item (async and sync) and create one, as JSON."""

from djanco.core.exceptions import BadRequest
from djanco.http import HttpRequest, JsonResponse
from djanco.shortcuts import aget_object_or_404, get_object_or_404

from items.models import Item


async def detail(request: HttpRequest, pk: int) -> JsonResponse:
    item = await aget_object_or_404(Item, pk=pk)
    return JsonResponse({"id": item.pk, "name": item.name})


def detail_sync(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(Item, pk=pk)
    return JsonResponse({"id": item.pk, "name": item.name})


async def create(request: HttpRequest) -> JsonResponse:
    data = await request.json()
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str):
        raise BadRequest("'name' must be a string")
    item = await Item.objects.acreate(name=name[:100])
    return JsonResponse({"id": item.pk}, status=201)
'''

URLS = '''"""Routes of the items app."""

from djanco.urls import path

from items import views

urlpatterns = [
    path("", views.create),
    path("<int:pk>/", views.detail),
    path("<int:pk>/sync/", views.detail_sync),
]
'''

HOSTILE = {
    # kind: (method, path, headers, body)
    "deeply nested JSON": ("POST", "/items/", {}, b"[" * 100_000),
    "body over the limit": ("POST", "/items/", {}, b"x" * (BODY_LIMIT + 1)),
    "64 KB header": ("GET", "/", {"x-big": "a" * 65536}, b""),
    "101 header fields": ("GET", "/", {f"x-field-{n}": "v" for n in range(101)}, b""),
    "40-digit primary key": ("GET", "/items/" + "9" * 40 + "/", {}, b""),
}

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  statuses = {}
  counter = 0
  deep = string.rep("[", 100000)
  big = string.rep("x", %(body_limit)d + 1)
  many = {}
  for n = 0, 100 do many["x-field-" .. n] = "v" end
  json = {["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  local k = counter %% 200
  local pk = counter %% 100 + 1
  if k < 70 then return wrk.format("GET", "/items/" .. pk .. "/")
  elseif k < 120 then return wrk.format("GET", "/items/" .. pk .. "/sync/")
  elseif k < 170 then
    return wrk.format("POST", "/items/", json, '{"name": "item ' .. counter .. '"}')
  elseif k < 190 then return wrk.format("GET", "/")
  elseif k < 193 then return wrk.format("POST", "/items/", json, deep)
  elseif k < 195 then return wrk.format("GET", "/items/" .. string.rep("9", 40) .. "/")
  elseif k < 197 then return wrk.format("GET", "/", {["x-big"] = string.rep("a", 65536)})
  elseif k < 199 then return wrk.format("GET", "/", many)
  else return wrk.format("POST", "/items/", json, big) end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("STATUS %%d %%d\n", status, count))
  end
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not on the PATH (apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="djanco-soak-"))
    database = TestDatabase(options.database, name=f"djanco_soak_{os.getpid()}")
    env = {
        "DJANCO_DEBUG": "false",
        "DJANCO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANCO_DATABASES__DEFAULT": database.create(),
    }
    server: subprocess.Popen[bytes] | None = None
    try:
        project = scaffold(workdir, env)
        port = free_port()
        log = (workdir / "server.log").open("wb")
        server = subprocess.Popen(
            [
                str(DJANCO),
                "serve",
                f"127.0.0.1:{port}",
                f"--workers={options.workers}",
                "--no-access-log",
            ],
            cwd=project,
            env=environment(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        for n in range(100):
            httpx.post(base + "/items/", json={"name": f"seed {n}"}).raise_for_status()
        print("Hostile requests, one of each:")
        for kind, request in HOSTILE.items():
            print(f"  {kind:<24} {send_raw(port, *request)}")
        rss_start = memory(server.pid)
        slow = SlowClients(port, count=16)
        slow.start()
        script = workdir / "soak.lua"
        script.write_text(WRK_SCRIPT % {"body_limit": BODY_LIMIT})
        print(f"\nwrk: {options.seconds} s, {options.connections} connections...")
        wrk_options = ["-s", str(script), "--timeout", "10s", base]
        wrk = subprocess.run(
            ["wrk", "-t2", f"-c{options.connections}", f"-d{options.seconds}s", *wrk_options],
            capture_output=True,
            text=True,
            check=True,
        )
        slow.stop()
        rss_end = memory(server.pid)
    finally:
        if server is not None:
            stop(server)
        database.destroy()

    statuses = Counter(
        {int(m[1]): int(m[2]) for m in re.finditer(r"^STATUS (\d+) (\d+)$", wrk.stdout, re.M)}
    )
    print(re.sub(r"^STATUS .*\n", "", wrk.stdout, flags=re.M))
    print("Statuses:", ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items())))
    print("Slow clients' answers:", dict(slow.answers) or "none")
    print("Server memory (VmRSS, kB):")
    for pid in sorted(rss_start.keys() | rss_end.keys()):
        print(f"  pid {pid:<8} start {rss_start.get(pid, '-'):>8}  end {rss_end.get(pid, '-'):>8}")
    print(f"  total        start {sum(rss_start.values()):>8}  end {sum(rss_end.values()):>8}")
    errors = sum(n for code, n in statuses.items() if code >= 500)
    print(f"5xx answers: {errors}")
    if errors:
        print(f"Server log: {workdir / 'server.log'}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if errors else 0


def scaffold(workdir: Path, env: dict[str, str]) -> Path:
    run("startproject", "soaksite", cwd=workdir, env=env)
    project = workdir / "soaksite"
    run("startapp", "items", cwd=project, env=env)
    (project / "items" / "models.py").write_text(MODELS)
    (project / "items" / "views.py").write_text(VIEWS)
    (project / "items" / "urls.py").write_text(URLS)
    settings = project / "soaksite" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            "INSTALLED_APPS: list[str] = []", 'INSTALLED_APPS: list[str] = ["items"]'
        )
    )
    urls = project / "soaksite" / "urls.py"
    urls.write_text(
        urls.read_text()
        .replace("from djanco.urls import path", "from djanco.urls import include, path")
        .replace(
            'path("", views.home, name="home"),',
            'path("", views.home, name="home"),\n    path("items/", include("items.urls")),',
        )
    )
    run("makemigrations", "items", cwd=project, env=env)
    run("migrate", cwd=project, env=env)
    return project


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANCO_")}
    return {**env, **extra}


def run(*args: str, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(DJANCO), *args], cwd=cwd, env=environment(env), capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"djanco {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("the server did not answer within 60 s")


def send_raw(port: int, method: str, path: str, headers: dict[str, str], body: bytes) -> str:
    """The status line the server answers, sending the body only as far as it reads it."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        # Refused before the whole request was read: its answer is waiting all the same.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head.encode() + body)
        try:
            answer = sock.recv(65536)
        except ConnectionResetError:
            return "connection reset before an answer"
    return answer.split(b"\r\n", 1)[0].decode() if answer else "closed without an answer"


def memory(pid: int) -> dict[int, int]:
    """VmRSS in kB of ``pid`` and its child processes (uvicorn's workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    rss: dict[int, int] = {}
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss[each] = int(line.split()[1])
    return rss


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # the server and its workers
    server.wait(timeout=30)


class SlowClients:
    """``count`` connections sending a request's headers a byte a second, reconnecting when
    the server gives up on them; counts the server's answers."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.answers: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._trickle) for _ in range(count)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join()

    def _trickle(self) -> None:
        request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: a\r\n" * 10_000
        while not self._stopping.is_set():
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                for byte in request:
                    if self._stopping.wait(1):
                        return
                    try:
                        sock.sendall(bytes([byte]))
                    except OSError:
                        break
                answer = b""
                with contextlib.suppress(OSError):
                    answer = sock.recv(4096)
                status = answer.split(b"\r\n", 1)[0].decode() or "closed without an answer"
                self.answers[status] += 1


if __name__ == "__main__":
    sys.exit(main())
