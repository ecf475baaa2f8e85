"""Requests/s of a Djanco hello view against a bare Starlette route, under identical uvicorn.

Run: ``.venv/bin/python bench/http_overhead.py`` (needs ``wrk``: ``apt-get install -y wrk``).

The Djanco side is a project made by ``djanco startproject`` with its default middleware
(security, common, CSRF, gzip), DEBUG off and a real secret key, whose URLconf routes ``/`` to a
view returning "Hello, world!". Both servers run uvicorn with uvloop and httptools, one
worker and no access log, on loopback; each is warmed up, then loaded by ``wrk`` in
alternating rounds, and the median of the rounds is reported.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.table import Table

BENCH_DIR = Path(__file__).resolve().parent
BODY = "Hello, world!"
console = Console(highlight=False)
if not console.is_terminal:  # keep the table on one line per row in logs
    console.width = max(console.width, 120)

_VIEWS = '''"""The benchmark's view."""

from djanco.http import HttpRequest, HttpResponse


async def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world!", content_type="text/plain")
'''
_URLS = '''"""The benchmark's only route."""

from djanco.urls import path

from benchsite import views

urlpatterns = [path("", views.hello, name="hello")]
'''


@dataclass(frozen=True)
class Target:
    """One server to measure: a uvicorn import string, where to import it from, its env."""

    label: str
    app: str
    app_dir: Path
    env: dict[str, str]


def djanco_target(workdir: Path) -> Target:
    """Scaffold a project with the real ``djanco startproject`` and give it the hello view."""
    djanco = Path(sys.executable).with_name("djanco")
    subprocess.run(
        [str(djanco), "startproject", "benchsite"], cwd=workdir, check=True, capture_output=True
    )
    project = workdir / "benchsite"
    (project / "benchsite" / "views.py").write_text(_VIEWS)
    (project / "benchsite" / "urls.py").write_text(_URLS)
    env = {
        "DJANCO_SETTINGS": "benchsite.settings",
        "DJANCO_DEBUG": "false",
        "DJANCO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    return Target(
        "Djanco hello view (default middleware)", "benchsite.asgi:application", project, env
    )


def starlette_target() -> Target:
    return Target("Starlette bare route", "hello_starlette:app", BENCH_DIR, {})


@contextmanager
def running(target: Target, port: int) -> Iterator[str]:
    """Run ``target`` under uvicorn until the block ends; yield its URL once it answers."""
    command = [
        sys.executable, "-m", "uvicorn", target.app,
        "--app-dir", str(target.app_dir),
        "--host", "127.0.0.1", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools",
        "--workers", "1", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANCO_")}
    server = subprocess.Popen(command, env={**env, **target.env}, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(url, server)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server for {url} exited with code {server.returncode}.")
        try:
            response = httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        if response.status_code != 200 or response.text != BODY:
            raise SystemExit(f"{url} answered {response.status_code} {response.text[:200]!r}.")
        return
    raise SystemExit(f"{url} did not answer within 30 s.")


def wrk(url: str, *, threads: int, connections: int, seconds: int) -> float:
    """Load ``url`` with wrk; return requests/s (every response must be a 2xx)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw failed requests against {url}:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise SystemExit(f"Cannot read wrk's output:\n{output}")
    return float(match.group(1))


def main(
    seconds: Annotated[int, typer.Option("--duration", help="Seconds per measured run.")] = 10,
    connections: Annotated[int, typer.Option(help="Open connections.")] = 64,
    threads: Annotated[int, typer.Option(help="wrk threads.")] = 1,
    warmup: Annotated[int, typer.Option(min=1, help="Warm-up seconds per server.")] = 3,
    rounds: Annotated[int, typer.Option(help="Measured runs per server (median).")] = 3,
    port: Annotated[int, typer.Option(help="First of two loopback ports to serve on.")] = 8765,
) -> None:
    """Measure requests/s of Djanco against bare Starlette and print the ratio."""
    if shutil.which("wrk") is None:
        console.print("[red]wrk is not installed.[/] Install it with: apt-get install -y wrk")
        raise typer.Exit(1)
    with tempfile.TemporaryDirectory(prefix="djanco-bench-") as workdir, ExitStack() as stack:
        targets = [djanco_target(Path(workdir)), starlette_target()]
        urls = [stack.enter_context(running(t, port + i)) for i, t in enumerate(targets)]
        load = functools.partial(wrk, threads=threads, connections=connections)
        for url in urls:
            load(url, seconds=warmup)
        results: dict[str, list[float]] = {target.label: [] for target in targets}
        for round_number in range(1, rounds + 1):
            for target, url in zip(targets, urls, strict=True):  # alternate: drift hits both
                rate = load(url, seconds=seconds)
                results[target.label].append(rate)
                console.print(f"round {round_number}: {target.label}: {rate:,.0f} req/s")
    medians = {label: statistics.median(rates) for label, rates in results.items()}
    djanco_rate, starlette_rate = medians[targets[0].label], medians[targets[1].label]
    table = Table(
        title=f"HTTP overhead: wrk -t{threads} -c{connections} -d{seconds}s, "
        f"median of {rounds}, uvicorn + uvloop + httptools, 1 worker",
        title_justify="left",
    )
    table.add_column("Server")
    table.add_column("Requests/s", justify="right")
    table.add_column("Runs (req/s)", justify="right")
    for label, rates in results.items():
        runs = ", ".join(f"{rate:,.0f}" for rate in rates)
        table.add_row(label, f"{medians[label]:,.0f}", runs)
    table.add_section()
    table.add_row("Djanco / Starlette", f"{djanco_rate / starlette_rate:.2f}x", "")
    console.print(table)


if __name__ == "__main__":
    typer.run(main)
