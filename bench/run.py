"""TechEmpower-style benchmark: Djanco side by side with Django, FastAPI and a bare floor.

Run: ``python bench/run.py [--tests json,db,...] [--duration S]`` with a Python that has
Rich, Typer and httpx (the project's venv) and ``wrk`` on the PATH (``apt-get install wrk``).

What it does, in order:

1. makes one virtualenv per framework under ``bench/techempower/.venvs/`` on pyenv's newest
   Python 3.13 or 3.12 (the same interpreter for all; Django 6 needs >= 3.12) and installs
   each framework from PyPI with pip (Djanco from this repository, with its postgres extra);
   an up-to-date venv is reused;
2. creates and fills the ``hello_world`` PostgreSQL database on 127.0.0.1:5432 (user
   postgres, trust) and a SQLite copy for Djanco's embedded default: ``world`` (10,000
   rows) and ``fortune`` (the 12 standard rows plus the ``<script>`` one);
3. for each implementation in ``bench/techempower/``: starts its server (uvicorn, uvloop,
   httptools, one worker; gunicorn sync workers for Django's WSGI variant) pinned to CPU 0,
   verifies each test's responses against the TechEmpower requirements (an implementation
   failing a test is reported and not timed on it), warms up, loads it with ``wrk`` pinned to
   CPU 1, and stops it;
4. prints a table of requests/s with the ratios Djanco/Django, Djanco/FastAPI and
   Djanco/floor, and writes ``bench/results/latest.json``, ``latest-details.json`` and
   ``latest.png`` (the chart needs matplotlib: in this interpreter or in the Djanco venv).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
TE_DIR = BENCH_DIR / "techempower"
VENVS_DIR = TE_DIR / ".venvs"
DATA_DIR = TE_DIR / ".data"
RESULTS_DIR = BENCH_DIR / "results"
SQLITE_PATH = DATA_DIR / "hello_world.sqlite3"
PG_DATABASE = "hello_world"
PG_DSN = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
PORT = 8080

TESTS = ("json", "plaintext", "db", "queries", "fortunes", "updates")
PATHS = {
    "json": "/json",
    "plaintext": "/plaintext",
    "db": "/db",
    "queries": "/queries?queries=20",
    "fortunes": "/fortunes",
    "updates": "/updates?queries=20",
}
FRAMEWORKS = ("djanco", "django", "fastapi", "floor")

console = Console(highlight=False)
if not console.is_terminal:  # keep the table on one line per row in logs
    console.width = max(console.width, 140)

# The standard fortune rows of the TechEmpower benchmarks.
FORTUNES = [
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. — Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, "フレームワークのベンチマーク"),
]
ADDITIONAL_FORTUNE = (0, "Additional fortune added at request time.")


# --------------------------------------------------------------------------- virtualenvs


@dataclass(frozen=True)
class Venv:
    """A per-framework virtualenv and the pip requirements it holds."""

    name: str
    requirements: tuple[str, ...]

    @property
    def path(self) -> Path:
        return VENVS_DIR / self.name

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


VENVS = {
    "djanco": Venv("djanco", ("-e", f"{REPO_DIR}[postgres]", "matplotlib>=3.8")),
    "django": Venv(
        "django",
        (
            "django>=6.0,<6.1",
            "psycopg[binary,pool]>=3.2",
            "gunicorn>=23",
            "uvicorn[standard]>=0.30",
        ),
    ),
    "fastapi": Venv(
        "fastapi",
        (
            "fastapi>=0.115",
            "sqlalchemy[asyncio]>=2.0.30",
            "asyncpg>=0.29",
            "jinja2>=3.1",
            "uvicorn[standard]>=0.30",
        ),
    ),
    "floor": Venv("floor", ("starlette>=0.40", "asyncpg>=0.29", "uvicorn[standard]>=0.30")),
}


def base_python() -> Path:
    """pyenv's newest Python 3.13.x or 3.12.x: every framework runs on this one."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(
        (
            p
            for p in root.glob("3.1[23]*/bin/python")
            if re.fullmatch(r"3\.1[23]\.\d+", p.parts[-3])
        ),
        key=lambda p: tuple(int(x) for x in p.parts[-3].split(".")),
    )
    if not candidates:
        raise SystemExit(f"No Python 3.12 or 3.13 under {root}: Django 6 needs Python >= 3.12.")
    return candidates[-1]


def ensure_venv(venv: Venv, python: Path) -> None:
    """Create ``venv`` on ``python`` and pip-install its requirements unless already done."""
    version = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stamp = venv.path / "bench-requirements.txt"
    wanted = "\n".join([f"# {python} {version}", *venv.requirements]) + "\n"
    if stamp.exists() and stamp.read_text() == wanted and venv.python.exists():
        return
    if venv.path.exists():
        shutil.rmtree(venv.path)
    console.print(f"Creating the {venv.name} venv on Python {version.split()[0]} ...")
    subprocess.run([str(python), "-m", "venv", str(venv.path)], check=True)
    pip = [str(venv.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    result = subprocess.run([*pip, *venv.requirements], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pip install failed in {venv.path}:\n{result.stdout}\n{result.stderr}")
    stamp.write_text(wanted)


# --------------------------------------------------------------------------- databases


def psql(sql: str, database: str = PG_DATABASE) -> str:
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database]
    command += ["-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"psql failed on {sql[:80]!r}: {result.stderr.strip()}")
    return result.stdout


def _fortune_values() -> str:
    return ", ".join(
        f"({pk}, '{message.replace(chr(39), chr(39) * 2)}')" for pk, message in FORTUNES
    )


def setup_postgres() -> None:
    """(Re)create the world and fortune tables of ``hello_world`` and fill them."""
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_DATABASE}'", "postgres"):
        psql(f"CREATE DATABASE {PG_DATABASE} ENCODING 'UTF8' TEMPLATE template0", "postgres")
    psql(
        "DROP TABLE IF EXISTS world, fortune;"
        "CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL DEFAULT 0);"
        "CREATE TABLE fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL);"
        "INSERT INTO world SELECT g, floor(random() * 10000 + 1)::integer "
        "FROM generate_series(1, 10000) AS g;"
        f"INSERT INTO fortune VALUES {_fortune_values()};"
    )
    psql("VACUUM ANALYZE world")
    psql("VACUUM ANALYZE fortune")


def setup_sqlite() -> None:
    DATA_DIR.mkdir(exist_ok=True)
    SQLITE_PATH.unlink(missing_ok=True)
    with sqlite3.connect(SQLITE_PATH) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)")
        db.execute("CREATE TABLE fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)")
        db.executemany(
            "INSERT INTO world VALUES (?, abs(random()) % 10000 + 1)",
            [(pk,) for pk in range(1, 10001)],
        )
        db.executemany("INSERT INTO fortune VALUES (?, ?)", FORTUNES)


def db_random_numbers(ids: list[int]) -> dict[int, int]:
    rows = psql(f"SELECT id, randomnumber FROM world WHERE id IN ({','.join(map(str, ids))})")
    return {int(pk): int(number) for pk, number in (line.split("|") for line in rows.split())}


# --------------------------------------------------------------------------- servers


@dataclass(frozen=True)
class Server:
    """One implementation under one server configuration."""

    key: str  # e.g. "django-wsgi"
    framework: str  # one of FRAMEWORKS
    label: str
    venv: str
    argv: tuple[str, ...]  # after "<venv>/bin/python -m"
    env: dict[str, str] = field(default_factory=dict)
    tests: tuple[str, ...] = TESTS
    database: str = "postgresql"


def uvicorn_argv(app: str) -> tuple[str, ...]:
    return (
        "uvicorn", app, "--app-dir", str(TE_DIR),
        "--host", "127.0.0.1", "--port", str(PORT),
        "--loop", "uvloop", "--http", "httptools",
        "--workers", "1", "--no-access-log", "--log-level", "warning",
    )  # fmt: skip


def servers(django_sync_workers: int) -> list[Server]:
    djanco_env = {"DJANCO_SETTINGS": "te_djanco.settings"}
    sqlite_url = f"sqlite:///{SQLITE_PATH}"
    gunicorn = (
        "gunicorn", "te_django.wsgi:application", "--chdir", str(TE_DIR),
        "--bind", f"127.0.0.1:{PORT}", "--worker-class", "sync",
        "--workers", str(django_sync_workers), "--log-level", "warning",
    )  # fmt: skip
    return [
        Server("djanco", "djanco", "Djanco (PostgreSQL)", "djanco",
               uvicorn_argv("te_djanco.asgi:application"), djanco_env),
        Server("djanco-sqlite", "djanco", "Djanco (SQLite)", "djanco",
               uvicorn_argv("te_djanco.asgi:application"),
               {**djanco_env, "DJANCO_DATABASES__DEFAULT": sqlite_url},
               tests=("db", "fortunes"), database="sqlite"),
        Server("django-wsgi", "django",
               f"Django 6 WSGI (gunicorn sync x{django_sync_workers})", "django", gunicorn,
               {"TE_DJANGO_MODE": "wsgi"}),
        Server("django-asgi", "django", "Django 6 ASGI (uvicorn)", "django",
               uvicorn_argv("te_django.asgi:application"), {"TE_DJANGO_MODE": "asgi"}),
        Server("fastapi", "fastapi", "FastAPI + SQLAlchemy", "fastapi",
               uvicorn_argv("te_fastapi.app:app")),
        Server("floor", "floor", "Starlette + asyncpg (floor)", "floor",
               uvicorn_argv("te_floor.app:app")),
    ]  # fmt: skip


def _pinned(cpu: int) -> list[str]:
    """``taskset -c cpu`` when there are two CPUs to split between server and load."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)]
    return []


@contextmanager
def running(server: Server) -> Iterator[str]:
    """Run ``server`` until the block ends; yield its base URL once it answers."""
    python = VENVS[server.venv].python
    command = [*_pinned(0), str(python), "-m", *server.argv]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANCO_", "DJANGO_"))}
    env |= {"PYTHONPATH": str(TE_DIR), **server.env}
    log = (DATA_DIR / f"{server.key}.log").open("w")
    process = subprocess.Popen(
        command, cwd=TE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{PORT}"
    try:
        _wait_for(url, process, server)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (DATA_DIR / f"{server.key}.log").read_text()[-3000:]
            raise ServerFailed(f"{server.label} exited with code {process.returncode}:\n{log}")
        try:
            httpx.get(url + "/plaintext", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        return
    raise ServerFailed(f"{server.label} did not answer within 60 s.")


class ServerFailed(Exception):
    pass


# --------------------------------------------------------------------------- verification


class Invalid(Exception):
    """A response that breaks the TechEmpower requirements."""


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise Invalid(f"GET {url}: {type(error).__name__}: {error}") from error
    if response.status_code != 200:
        raise Invalid(f"GET {url}: status {response.status_code}: {response.text[:300]!r}")
    return response


def _content_type(response: httpx.Response, expected: str) -> None:
    value = response.headers.get("content-type", "")
    if value.split(";")[0].strip().lower() != expected:
        raise Invalid(f"GET {response.url}: content-type {value!r}, expected {expected}")
    for header in ("server", "date"):
        if header not in response.headers:
            raise Invalid(f"GET {response.url}: no {header.title()} header")


def _json(response: httpx.Response) -> Any:
    _content_type(response, "application/json")
    try:
        return response.json()
    except ValueError as error:
        raise Invalid(f"GET {response.url}: body is not JSON: {response.text[:200]!r}") from error


def _world(item: object, where: str) -> tuple[int, int]:
    if not isinstance(item, dict) or set(item) != {"id", "randomNumber"}:
        raise Invalid(f"{where}: expected {{'id', 'randomNumber'}}, got {str(item)[:200]}")
    pk, number = item["id"], item["randomNumber"]
    for name, value in (("id", pk), ("randomNumber", number)):
        if type(value) is not int or not 1 <= value <= 10000:
            raise Invalid(f"{where}: {name} {value!r} is not an integer in 1..10000")
    return pk, number


def verify_json(client: httpx.Client, url: str) -> None:
    body = _json(_get(client, url + "/json"))
    if body != {"message": "Hello, World!"}:
        raise Invalid(f"GET /json: body {body!r}")


def verify_plaintext(client: httpx.Client, url: str) -> None:
    response = _get(client, url + "/plaintext")
    _content_type(response, "text/plain")
    if response.content != b"Hello, World!":
        raise Invalid(f"GET /plaintext: body {response.content[:100]!r}")


def verify_db(client: httpx.Client, url: str) -> None:
    seen = set()
    for _ in range(5):
        body = _json(_get(client, url + "/db"))
        seen.add(_world(body, "GET /db")[0])
    if len(seen) == 1:
        raise Invalid("GET /db: five requests returned the same row: not random")


# Query strings and the row counts they must give: N is clamped to 1..500, junk means 1.
CLAMPING = [
    ("", 1),
    ("?queries=", 1),
    ("?queries=foo", 1),
    ("?queries=0", 1),
    ("?queries=1", 1),
    ("?queries=20", 20),
    ("?queries=501", 500),
]


def _verify_many(client: httpx.Client, url: str, path: str) -> list[tuple[int, int]]:
    worlds: list[tuple[int, int]] = []
    for query, count in CLAMPING:
        body = _json(_get(client, url + path + query))
        if not isinstance(body, list) or len(body) != count:
            got = f"{len(body)} items" if isinstance(body, list) else type(body).__name__
            raise Invalid(f"GET {path}{query}: expected a list of {count} rows, got {got}")
        worlds += [_world(item, f"GET {path}{query}") for item in body]
    return worlds


def verify_queries(client: httpx.Client, url: str) -> None:
    _verify_many(client, url, "/queries")


def verify_updates(client: httpx.Client, url: str, *, check_database: bool = True) -> None:
    _verify_many(client, url, "/updates")
    body = _json(_get(client, url + "/updates?queries=20"))
    worlds = dict(_world(item, "GET /updates?queries=20") for item in body)
    if check_database:
        stored = db_random_numbers(list(worlds))
        wrong = {pk: (n, stored.get(pk)) for pk, n in worlds.items() if stored.get(pk) != n}
        if wrong:
            raise Invalid(f"GET /updates: rows not updated (id: (sent, stored)): {wrong}")


def verify_fortunes(client: httpx.Client, url: str) -> None:
    response = _get(client, url + "/fortunes")
    _content_type(response, "text/html")
    if "charset=utf-8" not in response.headers["content-type"].lower().replace(" ", ""):
        raise Invalid(f"GET /fortunes: content-type {response.headers['content-type']!r}")
    text = re.sub(r"\s+", " ", response.text)
    if (
        not re.match(r"\s*<!DOCTYPE html>", text, re.IGNORECASE)
        or "<title>Fortunes</title>" not in text
    ):
        raise Invalid(f"GET /fortunes: not the fortunes page: {text[:200]!r}")
    if "<script>" in text:
        raise Invalid("GET /fortunes: the <script> fortune is not HTML-escaped")
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", text)
    expected = sorted([*FORTUNES, ADDITIONAL_FORTUNE], key=lambda row: row[1])
    got = [(pk, html.unescape(message)) for pk, message in cells]
    want = [(str(pk), message) for pk, message in expected]
    if got != want:
        raise Invalid(f"GET /fortunes: rows {got!r}, expected {want!r}")
    for _, message in cells:
        if re.search(r"[<>]|&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)", message, re.IGNORECASE):
            raise Invalid(f"GET /fortunes: cell {message!r} is not HTML-escaped")


VERIFIERS: dict[str, Callable[[httpx.Client, str], None]] = {
    "json": verify_json,
    "plaintext": verify_plaintext,
    "db": verify_db,
    "queries": verify_queries,
    "fortunes": verify_fortunes,
    "updates": verify_updates,
}


# --------------------------------------------------------------------------- load


@dataclass
class Load:
    rps: float
    errors: str | None


def wrk(url: str, *, connections: int, seconds: int) -> Load:
    """Load ``url`` with wrk; return requests/s and any errors wrk reported."""
    command = [*_pinned(1), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-H", "Connection: keep-alive", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise SystemExit(f"Cannot read wrk's output:\n{output}")
    errors = [
        line.strip()
        for line in output.splitlines()
        if "Non-2xx or 3xx responses" in line or "Socket errors" in line
    ]
    return Load(float(match.group(1)), "; ".join(errors) or None)


# --------------------------------------------------------------------------- report


@dataclass
class Outcome:
    rps: dict[str, dict[str, float]] = field(default_factory=dict)  # server key -> test -> rps
    failures: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> test -> why
    errors: dict[str, dict[str, str]] = field(default_factory=dict)  # wrk errors


def best_django(outcome: Outcome, test: str) -> tuple[float | None, str | None]:
    rates = [(outcome.rps.get(k, {}).get(test), k) for k in ("django-wsgi", "django-asgi")]
    timed = [(rate, key) for rate, key in rates if rate is not None]
    return max(timed) if timed else (None, None)


def summary(outcome: Outcome, tests: list[str]) -> dict[str, dict[str, float | None]]:
    """test -> framework -> requests/s, Django being the faster of its two configurations."""
    result: dict[str, dict[str, float | None]] = {}
    for test in tests:
        row: dict[str, float | None] = {
            "djanco": outcome.rps.get("djanco", {}).get(test),
            "django": best_django(outcome, test)[0],
            "fastapi": outcome.rps.get("fastapi", {}).get(test),
            "floor": outcome.rps.get("floor", {}).get(test),
        }
        result[test] = row
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = ""
    python = VENVS["djanco"].python
    version = subprocess.run([str(python), "-V"], capture_output=True, text=True).stdout.strip()
    server = psql("SHOW server_version").strip()
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}, "
        f"{version}, PostgreSQL {server}"
    )


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def _rate(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "-"


def print_table(outcome: Outcome, tests: list[str], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("Test", "Djanco", "Djanco SQLite", "Django WSGI", "Django ASGI", "FastAPI",
                   "Floor", "Djanco/Django", "Djanco/FastAPI", "Djanco/floor"):  # fmt: skip
        table.add_column(column, justify="left" if column == "Test" else "right")
    rows = summary(outcome, tests)
    for test in tests:
        row = rows[test]
        table.add_row(
            test,
            _rate(row["djanco"]),
            _rate(outcome.rps.get("djanco-sqlite", {}).get(test)),
            _rate(outcome.rps.get("django-wsgi", {}).get(test)),
            _rate(outcome.rps.get("django-asgi", {}).get(test)),
            _rate(row["fastapi"]),
            _rate(row["floor"]),
            _ratio(row["djanco"], row["django"]),
            _ratio(row["djanco"], row["fastapi"]),
            _ratio(row["djanco"], row["floor"]),
        )
    console.print(table)
    for kind, entries in (("failed verification", outcome.failures), ("wrk", outcome.errors)):
        for key, per_test in entries.items():
            for test, why in per_test.items():
                console.print(f"[red]{key} {test} {kind}:[/] {why}")


def write_chart(details_path: Path, png_path: Path) -> None:
    """Draw the chart here if matplotlib is importable, else with the Djanco venv's Python."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        script = TE_DIR / "chart.py"
        command = [str(VENVS["djanco"].python), str(script), str(details_path), str(png_path)]
        subprocess.run(command, check=True)
        return
    sys.path.insert(0, str(TE_DIR))
    from chart import draw  # type: ignore[import-not-found]

    draw(details_path, png_path)


def measure(
    server: Server,
    tests: list[str],
    verify: bool,
    outcome: Outcome,
    runs: dict[str, dict[str, list[Load]]],
    connections: int,
    warmup: int,
    duration: int,
) -> None:
    """Start ``server``; verify (first round) and time each test; stop it."""
    try:
        with running(server) as url, httpx.Client(timeout=30) as client:
            for test in tests:
                if verify:
                    try:
                        if test == "updates":
                            verify_updates(client, url, check_database=server.database != "sqlite")
                        else:
                            VERIFIERS[test](client, url)
                    except Invalid as error:
                        outcome.failures.setdefault(server.key, {})[test] = str(error)
                        console.print(f"  {test}: [red]failed verification[/]: {error}")
                        continue
                wrk(url + PATHS[test], connections=connections, seconds=warmup)
                load = wrk(url + PATHS[test], connections=connections, seconds=duration)
                runs.setdefault(server.key, {}).setdefault(test, []).append(load)
                note = f" [yellow]({load.errors})[/]" if load.errors else ""
                console.print(f"  {test}: {load.rps:,.0f} req/s{note}")
    except ServerFailed as error:
        for test in tests:
            outcome.failures.setdefault(server.key, {})[test] = str(error)
        console.print(f"  [red]{error}[/]")


# --------------------------------------------------------------------------- main


def main(
    tests: Annotated[
        str, typer.Option(help=f"Comma-separated tests to run, of: {', '.join(TESTS)}.")
    ] = ",".join(TESTS),
    duration: Annotated[int, typer.Option(min=1, help="Seconds of each measured wrk run.")] = 15,
    warmup: Annotated[int, typer.Option(min=1, help="Seconds of warm-up before each run.")] = 3,
    connections: Annotated[int, typer.Option(help="Open wrk connections.")] = 64,
    only: Annotated[
        str, typer.Option(help="Comma-separated server keys to run (default: all).")
    ] = "",
    django_sync_workers: Annotated[
        int, typer.Option(help="gunicorn sync workers for Django's WSGI variant.")
    ] = 3,
    rounds: Annotated[
        int,
        typer.Option(
            min=1, help="Measured runs per test (their median; the upper one for an even count)."
        ),
    ] = 1,
) -> None:
    """Run the TechEmpower-style suite and report requests/s side by side."""
    selected = [t.strip() for t in tests.split(",") if t.strip()]
    if unknown := [t for t in selected if t not in TESTS]:
        raise typer.BadParameter(f"unknown tests {unknown}; choose from {', '.join(TESTS)}")
    if shutil.which("wrk") is None:
        console.print("[red]wrk is not installed.[/] Install it with: apt-get install -y wrk")
        raise typer.Exit(1)
    python = base_python()
    for venv in VENVS.values():
        ensure_venv(venv, python)
    DATA_DIR.mkdir(exist_ok=True)
    setup_postgres()
    setup_sqlite()
    outcome = Outcome()
    chosen = [s for s in servers(django_sync_workers) if not only or s.key in only.split(",")]
    runs: dict[str, dict[str, list[Load]]] = {}
    # Rounds go round every server in turn, so a burst of outside load on the machine hits
    # every framework rather than one; responses are verified in the first round.
    for round_number in range(1, rounds + 1):
        for server in chosen:
            todo = [t for t in selected if t in server.tests]
            todo = [t for t in todo if t not in outcome.failures.get(server.key, {})]
            if todo:
                console.print(f"[bold]round {round_number}: {server.label}[/]")
                measure(
                    server, todo, round_number == 1, outcome, runs, connections, warmup, duration
                )
    for key, per_test in runs.items():
        for test, loads in per_test.items():
            load = sorted(loads, key=lambda run: run.rps)[len(loads) // 2]
            outcome.rps.setdefault(key, {})[test] = load.rps
            errors = "; ".join(run.errors for run in loads if run.errors)
            if errors:
                outcome.errors.setdefault(key, {})[test] = errors
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = machine()
    title = (
        f"TechEmpower-style requests/s: wrk -t1 -c{connections} -d{duration}s after {warmup}s "
        f"warm-up, median of {rounds}; uvicorn + uvloop + httptools, 1 worker; "
        f"queries/updates N=20; {when}"
    )
    print_table(outcome, selected, title)
    RESULTS_DIR.mkdir(exist_ok=True)
    latest = {"machine": where, "date": when, "rps": summary(outcome, selected)}
    (RESULTS_DIR / "latest.json").write_text(json.dumps(latest, indent=2) + "\n")
    details = {
        **latest,
        "settings": {
            "duration_s": duration,
            "rounds": rounds,
            "warmup_s": warmup,
            "connections": connections,
            "wrk_threads": 1,
            "django_sync_workers": django_sync_workers,
            "pinning": "server on CPU 0, wrk on CPU 1" if _pinned(0) else "none",
        },
        "servers": {s.key: s.label for s in chosen},
        "rps_by_server": outcome.rps,
        "django_best": {t: best_django(outcome, t)[1] for t in selected},
        "failed_verification": outcome.failures,
        "wrk_errors": outcome.errors,
    }
    details_path = RESULTS_DIR / "latest-details.json"
    details_path.write_text(json.dumps(details, indent=2, ensure_ascii=False) + "\n")
    write_chart(details_path, RESULTS_DIR / "latest.png")
    console.print(f"Wrote {RESULTS_DIR / 'latest.json'}, {details_path.name} and latest.png.")


if __name__ == "__main__":
    typer.run(main)
