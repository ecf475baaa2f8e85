"""Djanco's ORM against Django's ORM and the raw database driver, on SQLite and PostgreSQL.

Run: ``python bench/orm.py`` from any interpreter (``--repeat 7``, ``--markdown`` for a
table to paste, ``--profile CASE`` to cProfile Djanco's side of one case). Django 6 needs
Python >= 3.12, so the script creates (once) a virtualenv at ``bench/.venv-orm`` with a pyenv
3.12/3.13 interpreter, installs Django 6, psycopg, asyncpg and this checkout of Djanco into
it, and re-executes itself there. PostgreSQL must listen on 127.0.0.1:5432 (user
``postgres``, trust auth); the script creates and drops its own database ``bench_orm``.

The schema (``orm_djanco/models.py`` and ``orm_django/models.py`` declare the same tables)
is ``Item`` with two foreign keys to ``Cat`` and a many-to-many to ``Label``: 10,000 items,
50 cats, 20 labels, 3 labels per item. Every implementation runs in its own process on the
same database, the ORMs with the very same code (Django's API is Djanco's):

- fetch: 10,000 rows as model instances (raw driver: ``fetchall()`` of tuples);
- get: 1,000 ``get(pk=...)`` (raw: 1,000 single-row selects);
- bulk_create: 10,000 new instances in one ``bulk_create`` (raw: ``executemany`` in a
  transaction), deleted again after each repetition;
- select_related: ``select_related`` over two foreign keys for 1,000 items (raw: the JOIN);
- prefetch_related: the M2M of 1,000 items (raw: the two queries).

The async rows (PostgreSQL) run the same workloads with ``aget``, ``async for`` and
``abulk_create``; Djanco and the raw line use asyncpg, Django's async API runs its sync
code in a worker thread (psycopg). Each case is warmed up once, then timed ``--repeat``
times (garbage collected before each); the median is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import glob
import importlib
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VENV = BENCH_DIR / ".venv-orm"
REQUIREMENTS = ["Django>=6,<7", "psycopg[binary]", "asyncpg", "rich", "-e", f"{REPO}[postgres]"]

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DB = "bench_orm"
N_ROWS = 10_000
N_GET = 1_000
N_REL = 1_000
N_CATS = 50
N_LABELS = 20
LABELS_PER_ITEM = 3

CASES = ("fetch", "get", "bulk_create", "select_related", "prefetch_related")
CASE_LABELS = {
    "fetch": "fetch 10,000 rows",
    "get": "1,000 x get(pk=…)",
    "bulk_create": "bulk_create 10,000 rows",
    "select_related": "select_related 2 FKs x 1,000",
    "prefetch_related": "prefetch_related M2M x 1,000",
}
# case -> (minimum speed-up over Django, maximum Djanco/raw ratio or None)
TARGETS: dict[str, tuple[float, float | None]] = {
    "fetch": (3.0, 2.5),
    "get": (4.0, None),
    "bulk_create": (2.0, None),
    "select_related": (2.0, None),
    "prefetch_related": (2.0, None),
}
IMPLS = ("djanco", "django", "raw")
# (backend, api) combinations, in table order
SCENARIOS = (("sqlite", "sync"), ("postgresql", "sync"), ("postgresql", "async"))

ITEM_COLS = "id, name, value, score, cat_id, other_id"
INSERT_COLS = "name, value, score, cat_id, other_id"


# --------------------------------------------------------------------------- virtualenv


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def find_python() -> str:
    for pattern in ("3.12*", "3.13*"):
        found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{pattern}/bin/python")))
        if found:
            return found[-1]
    for name in ("python3.12", "python3.13"):
        if path := shutil.which(name):
            return path
    sys.exit("bench/orm.py needs Python 3.12 or 3.13 (Django 6): none found in ~/.pyenv.")


def ensure_venv() -> Path:
    """Create bench/.venv-orm and install the requirements unless already done."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".bench-orm-requirements"
    wanted = "\n".join(REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"Creating {VENV} ...", file=sys.stderr)
        subprocess.run([find_python(), "-m", "venv", str(VENV)], check=True)
    print("Installing Django 6, psycopg, asyncpg and Djanco into it ...", file=sys.stderr)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--upgrade", "pip", *REQUIREMENTS], check=True
    )
    stamp.write_text(wanted)
    return python


# --------------------------------------------------------------------------- workloads

Workload = dict[str, Callable[[], Any]]


def orm_workload(item: Any, cat: Any) -> Workload:
    """The sync cases, written once for both ORMs (Djanco's API is Django's)."""
    cats = list(cat.objects.order_by("id"))

    def fetch() -> list[Any]:
        return list(item.objects.all())

    def get() -> None:
        for pk in range(1, N_GET + 1):
            item.objects.get(pk=pk)

    def bulk_create() -> None:
        item.objects.bulk_create(new_items(item, cats))

    def select_related() -> list[Any]:
        rows = item.objects.select_related("cat", "other").filter(pk__lte=N_REL)
        return [(obj.cat.name, obj.other.name) for obj in rows]

    def prefetch_related() -> list[Any]:
        rows = item.objects.prefetch_related("labels").filter(pk__lte=N_REL)
        return [[label.name for label in obj.labels.all()] for obj in rows]

    return {name: fn for name, fn in locals().items() if name in CASES}


def orm_aworkload(item: Any, cat: Any, cats: list[Any]) -> Workload:
    """The async cases, written once for both ORMs."""

    async def fetch() -> list[Any]:
        return [obj async for obj in item.objects.all()]

    async def get() -> None:
        for pk in range(1, N_GET + 1):
            await item.objects.aget(pk=pk)

    async def bulk_create() -> None:
        await item.objects.abulk_create(new_items(item, cats))

    async def select_related() -> list[Any]:
        rows = item.objects.select_related("cat", "other").filter(pk__lte=N_REL)
        return [(obj.cat.name, obj.other.name) async for obj in rows]

    async def prefetch_related() -> list[Any]:
        rows = item.objects.prefetch_related("labels").filter(pk__lte=N_REL)
        return [[label.name for label in obj.labels.all()] async for obj in rows]

    return {name: fn for name, fn in locals().items() if name in CASES}


def new_items(item: Any, cats: list[Any]) -> list[Any]:
    return [
        item(
            name=f"new {i}", value=i, score=i / 3, cat=cats[i % N_CATS], other=cats[i * 7 % N_CATS]
        )
        for i in range(N_ROWS)
    ]


def new_rows(cat_ids: list[int]) -> list[tuple[object, ...]]:
    return [
        (f"new {i}", i, i / 3, cat_ids[i % N_CATS], cat_ids[i * 7 % N_CATS]) for i in range(N_ROWS)
    ]


SELECT_RELATED_SQL = (
    f"SELECT i.id, i.name, i.value, i.score, i.cat_id, i.other_id, c.id, c.name, o.id, o.name "
    f"FROM bench_item i JOIN bench_cat c ON c.id = i.cat_id JOIN bench_cat o ON o.id = i.other_id "
    f"WHERE i.id <= {N_REL}"
)
LABELS_SQL = (
    "SELECT t.item_id, l.id, l.name FROM bench_label l "
    "JOIN bench_item_labels t ON t.label_id = l.id WHERE t.item_id {}"
)


def sqlite_raw_workload(path: str) -> Workload:
    import sqlite3

    conn = sqlite3.connect(path)
    cat_ids = [r[0] for r in conn.execute("SELECT id FROM bench_cat ORDER BY id")]
    by_pk = f"SELECT {ITEM_COLS} FROM bench_item WHERE id = ?"
    insert = f"INSERT INTO bench_item ({INSERT_COLS}) VALUES (?, ?, ?, ?, ?)"

    def fetch() -> list[Any]:
        return conn.execute(f"SELECT {ITEM_COLS} FROM bench_item").fetchall()

    def get() -> None:
        for pk in range(1, N_GET + 1):
            conn.execute(by_pk, (pk,)).fetchone()

    def bulk_create() -> None:
        conn.executemany(insert, new_rows(cat_ids))
        conn.commit()

    def select_related() -> list[Any]:
        return conn.execute(SELECT_RELATED_SQL).fetchall()

    def prefetch_related() -> list[Any]:
        items = conn.execute(f"SELECT {ITEM_COLS} FROM bench_item WHERE id <= {N_REL}").fetchall()
        ids = [row[0] for row in items]
        marks = ", ".join("?" * len(ids))
        return conn.execute(LABELS_SQL.format(f"IN ({marks})"), ids).fetchall()

    return {name: fn for name, fn in locals().items() if name in CASES}


def pg_raw_workload(dsn: str) -> Workload:
    import psycopg

    conn = psycopg.connect(dsn, autocommit=True)
    cat_ids = [r[0] for r in conn.execute("SELECT id FROM bench_cat ORDER BY id")]
    by_pk = f"SELECT {ITEM_COLS} FROM bench_item WHERE id = %s"
    insert = f"INSERT INTO bench_item ({INSERT_COLS}) VALUES (%s, %s, %s, %s, %s)"

    def fetch() -> list[Any]:
        return conn.execute(f"SELECT {ITEM_COLS} FROM bench_item").fetchall()

    def get() -> None:
        for pk in range(1, N_GET + 1):
            conn.execute(by_pk, (pk,)).fetchone()

    def bulk_create() -> None:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(insert, new_rows(cat_ids))

    def select_related() -> list[Any]:
        return conn.execute(SELECT_RELATED_SQL).fetchall()

    def prefetch_related() -> list[Any]:
        items = conn.execute(f"SELECT {ITEM_COLS} FROM bench_item WHERE id <= {N_REL}").fetchall()
        ids = [row[0] for row in items]
        return conn.execute(LABELS_SQL.format("= ANY(%s)"), (ids,)).fetchall()

    return {name: fn for name, fn in locals().items() if name in CASES}


async def asyncpg_workload(dsn: str) -> Workload:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    cat_ids = [r[0] for r in await conn.fetch("SELECT id FROM bench_cat ORDER BY id")]
    by_pk = f"SELECT {ITEM_COLS} FROM bench_item WHERE id = $1"
    insert = f"INSERT INTO bench_item ({INSERT_COLS}) VALUES ($1, $2, $3, $4, $5)"

    async def fetch() -> list[Any]:
        return await conn.fetch(f"SELECT {ITEM_COLS} FROM bench_item")

    async def get() -> None:
        for pk in range(1, N_GET + 1):
            await conn.fetchrow(by_pk, pk)

    async def bulk_create() -> None:
        async with conn.transaction():
            await conn.executemany(insert, new_rows(cat_ids))

    async def select_related() -> list[Any]:
        return await conn.fetch(SELECT_RELATED_SQL)

    async def prefetch_related() -> list[Any]:
        items = await conn.fetch(f"SELECT {ITEM_COLS} FROM bench_item WHERE id <= {N_REL}")
        ids = [row[0] for row in items]
        return await conn.fetch(LABELS_SQL.format("= ANY($1::bigint[])"), ids)

    return {name: fn for name, fn in locals().items() if name in CASES}


# --------------------------------------------------------------------------- worker side


def database_url(backend: str, location: str) -> str:
    return f"sqlite:///{location}" if backend == "sqlite" else f"{PG_SERVER}/{PG_DB}"


def setup_djanco(backend: str, location: str) -> None:
    os.environ["BENCH_ORM_DATABASE"] = database_url(backend, location)
    os.environ["DJANCO_DEBUG"] = "false"
    import djanco

    djanco.setup("orm_djanco.settings")


def setup_django(backend: str, location: str) -> None:
    from orm_django import setup

    if backend == "sqlite":
        setup({"ENGINE": "django.db.backends.sqlite3", "NAME": location})
    else:
        setup(
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": PG_DB,
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": 5432,
            }
        )


def cleanup_function(backend: str, location: str) -> Callable[[], None]:
    """Delete the rows bulk_create added, on a connection of its own (outside the timing)."""
    sql = f"DELETE FROM bench_item WHERE id > {N_ROWS}"
    if backend == "sqlite":
        import sqlite3

        lite = sqlite3.connect(location, isolation_level=None)

        def cleanup_sqlite() -> None:
            assert lite.execute(sql).rowcount == N_ROWS, "bulk_create must add N rows"

        return cleanup_sqlite

    import psycopg

    pg = psycopg.connect(f"{PG_SERVER}/{PG_DB}", autocommit=True)

    def cleanup_pg() -> None:
        assert pg.execute(sql).rowcount == N_ROWS, "bulk_create must add N rows"  # type: ignore[arg-type]

    return cleanup_pg


def populate(backend: str, location: str) -> None:
    """Create the tables with Djanco and fill them: the same data for every implementation."""
    setup_djanco(backend, location)
    from orm_djanco.models import Cat, Item, Label

    from djanco.db import connections
    from djanco.db.backends.testing import create_tables

    through = Item.labels.through
    w = connections["default"]
    create_tables(w, [Cat, Label, Item, through])
    cats = Cat.objects.bulk_create([Cat(name=f"cat {i}") for i in range(N_CATS)])
    labels = Label.objects.bulk_create([Label(name=f"label {i}") for i in range(N_LABELS)])
    Item.objects.bulk_create(
        [
            Item(name=f"item {i}", value=i, score=i / 3, cat=cats[i % N_CATS], other=cats[i % 7])
            for i in range(N_ROWS)
        ]
    )
    ids = sorted(w.fetchall("SELECT id FROM bench_item"))
    assert [r[0] for r in ids] == list(range(1, N_ROWS + 1)), "items must be numbered 1..N"
    through.objects.bulk_create(
        [
            through(item_id=pk, label_id=labels[(pk + k * 7) % N_LABELS].pk)
            for pk in range(1, N_ROWS + 1)
            for k in range(LABELS_PER_ITEM)
        ]
    )
    w.execute("ANALYZE")


def time_once(fn: Callable[[], object], after: Callable[[], object] | None) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    if after:
        after()
    return elapsed * 1000


async def atime_once(
    fn: Callable[[], Awaitable[object]], after: Callable[[], object] | None
) -> float:
    gc.collect()
    start = time.perf_counter()
    await fn()
    elapsed = time.perf_counter() - start
    if after:
        after()
    return elapsed * 1000


def sync_workload(backend: str, impl: str, location: str) -> Workload:
    if impl == "raw":
        if backend == "sqlite":
            return sqlite_raw_workload(location)
        return pg_raw_workload(f"{PG_SERVER}/{PG_DB}")
    (setup_djanco if impl == "djanco" else setup_django)(backend, location)
    models = importlib.import_module(f"orm_{impl}.models")
    return orm_workload(models.Item, models.Cat)


async def async_workload(backend: str, impl: str, location: str) -> Workload:
    if impl == "raw":
        return await asyncpg_workload(f"{PG_SERVER}/{PG_DB}")
    (setup_djanco if impl == "djanco" else setup_django)(backend, location)
    models = importlib.import_module(f"orm_{impl}.models")
    cats = [c async for c in models.Cat.objects.order_by("id")]
    return orm_aworkload(models.Item, models.Cat, cats)


def run_worker(args: argparse.Namespace) -> None:
    """Serve the driver: read a case name per line, run it once, answer its time in ms.

    With ``--profile``, run each case ``--repeat`` times under cProfile instead."""
    backend, impl, api, location = args.backend, args.impl, args.api, args.location
    if impl == "populate":
        populate(backend, location)
        return
    cleanup = cleanup_function(backend, location)
    cases = args.cases.split(",")

    def after(case: str) -> Callable[[], None] | None:
        return cleanup if case == "bulk_create" else None

    if api == "sync":
        work = sync_workload(backend, impl, location)
        if args.profile:
            for case in cases:
                print(f"\n===== {backend} {api} {case}", file=sys.stderr)
                time_once(work[case], after(case))
                profile(lambda c=case: [time_once(work[c], after(c)) for _ in range(args.repeat)])
            return
        print("ready", flush=True)
        for line in sys.stdin:
            case = line.strip()
            print(time_once(work[case], after(case)), flush=True)
        return

    async def main() -> None:
        work = await async_workload(backend, impl, location)
        if args.profile:
            for case in cases:
                print(f"\n===== {backend} {api} {case}", file=sys.stderr)
                await atime_once(work[case], after(case))
                prof = cProfile.Profile()
                prof.enable()
                for _ in range(args.repeat):
                    await atime_once(work[case], after(case))
                prof.disable()
                print_profile(prof)
            return
        print("ready", flush=True)
        while case := sys.stdin.readline().strip():  # the driver waits for each answer
            print(await atime_once(work[case], after(case)), flush=True)

    loop_factory = asyncio.new_event_loop
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(main())


def profile(fn: Callable[[], object]) -> None:
    prof = cProfile.Profile()
    prof.runcall(fn)
    print_profile(prof)


def print_profile(prof: cProfile.Profile) -> None:
    stats = pstats.Stats(prof, stream=sys.stderr)
    stats.strip_dirs().sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)


# --------------------------------------------------------------------------- driver side


class Worker:
    """One implementation's process, asked to run one case at a time."""

    def __init__(self, backend: str, impl: str, api: str, location: str, cases: str) -> None:
        self.impl = impl
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker"]
        cmd += ["--backend", backend, "--impl", impl, "--api", api, "--location", location]
        cmd += ["--cases", cases]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=BENCH_DIR
        )
        if impl != "populate":
            self.read()  # "ready": set up and connected

    def read(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.impl} worker died (exit code {self.proc.wait()})")
        return line.strip()

    def run(self, case: str) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(case + "\n")
        self.proc.stdin.flush()
        return float(self.read())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        if self.proc.wait(timeout=60) != 0:
            raise RuntimeError(f"the {self.impl} worker failed")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def run_all(args: argparse.Namespace) -> dict[tuple[str, str], dict[str, dict[str, float]]]:
    """Per backend: a fresh database, then per API the three workers, interleaved case by case."""
    from rich.console import Console

    console = Console(stderr=True)
    results: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    tmp = tempfile.mkdtemp(prefix="bench-orm-")
    try:
        for backend in args.backends:
            location = str(Path(tmp) / "bench.sqlite3") if backend == "sqlite" else PG_DB
            if backend == "postgresql":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                pg_admin(f"CREATE DATABASE {PG_DB}")
            try:
                console.print(f"[dim]{backend}: creating the {N_ROWS:,} items ...[/]")
                Worker(backend, "populate", "sync", location, "").close()
                for b, api in SCENARIOS:
                    if b == backend and api in args.apis:
                        results[backend, api] = run_scenario(backend, api, location, args)
            finally:
                if backend == "postgresql":
                    pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def run_scenario(
    backend: str, api: str, location: str, args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    from rich.console import Console

    console = Console(stderr=True)
    cases = ",".join(args.cases)
    if args.profile:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--profile"]
        cmd += ["--backend", backend, "--impl", "djanco", "--api", api, "--location", location]
        cmd += ["--cases", cases, "--repeat", str(args.repeat)]
        subprocess.run(cmd, check=True, cwd=BENCH_DIR)
        return {}
    workers = [Worker(backend, impl, api, location, cases) for impl in IMPLS]
    times: dict[str, dict[str, list[float]]] = {impl: {} for impl in IMPLS}
    try:
        for case in args.cases:
            console.print(f"[dim]{backend} {api}: {case} ...[/]")
            for w in workers:
                w.run(case)  # warm-up: connections, compiled-query caches
            for rep in range(args.repeat):
                for w in workers[rep % 3 :] + workers[: rep % 3]:  # rotate who goes first
                    times[w.impl].setdefault(case, []).append(w.run(case))
    finally:
        for w in workers:
            w.close()
    return {
        impl: {case: statistics.median(ts) for case, ts in by_case.items()}
        for impl, by_case in times.items()
    }


def verdict(case: str, djanco: float, django: float, raw: float) -> tuple[str, bool]:
    speedup, raw_limit = TARGETS[case]
    met = django / djanco >= speedup
    text = f"≥{speedup:g}x faster"
    if raw_limit is not None:
        met = met and djanco / raw <= raw_limit
        text += f", ≤{raw_limit:g}x raw"
    return text, met


def report(results: dict[tuple[str, str], dict[str, dict[str, float]]], markdown: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    backend_names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    headers = ["Backend", "Case", "Djanco ms", "Django ms", "raw ms"]
    headers += ["Djanco/Django", "Djanco/raw", "Target", ""]
    rows = []
    for (backend, api), by_impl in results.items():
        for case in CASES:
            if case not in by_impl["djanco"]:
                continue
            dj, dg, raw = (by_impl[impl][case] for impl in IMPLS)
            target, met = verdict(case, dj, dg, raw)
            rows.append(
                (
                    f"{backend_names[backend]} {api}",
                    CASE_LABELS[case],
                    f"{dj:.1f}",
                    f"{dg:.1f}",
                    f"{raw:.1f}",
                    f"{dj / dg:.2f} ({dg / dj:.1f}x faster)",
                    f"{dj / raw:.2f}",
                    target,
                    "met" if met else "MISSED",
                )
            )
    if markdown:
        print("| " + " | ".join([*headers[:-1], "Met?"]) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, 150)
    table = Table(title="Djanco ORM vs Django 6 ORM vs raw driver (median ms, lower is better)")
    for header in headers:
        justify = "right" if header.endswith(("ms", "raw", "Django")) else "left"
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        style = "green" if row[-1] == "met" else "red"
        table.add_row(*row[:-1], f"[{style}]{row[-1]}[/]")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions (median)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--apis", default="sync,async")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--profile", action="store_true", help="cProfile Djanco's side")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--impl", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--location", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not in_venv():
        python = ensure_venv()
        os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    if args.worker:
        run_worker(args)
        return
    args.backends = args.backends.split(",")
    args.apis = args.apis.split(",")
    args.cases = args.cases.split(",")
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s) {sorted(unknown)}; choose from {', '.join(CASES)}")
    results = run_all(args)
    if not args.profile:
        report(results, args.markdown)


if __name__ == "__main__":
    main()
