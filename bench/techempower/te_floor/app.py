"""The TechEmpower test types on bare Starlette + asyncpg: ``uvicorn te_floor.app:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from random import randint, sample

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1"
SELECT_FORTUNES = "SELECT id, message FROM fortune"
UPDATE_WORLD = "UPDATE world SET randomnumber = $2 WHERE id = $1"
pool: asyncpg.Pool | None = None


def get_pool() -> asyncpg.Pool:
    assert pool is not None
    return pool


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(
        "postgresql://postgres@127.0.0.1:5432/hello_world", min_size=20, max_size=20
    )
    yield
    await pool.close()


def query_count(request: Request) -> int:
    """The ``queries`` parameter, clamped to 1..500 (1 when missing or not a number)."""
    try:
        count = int(request.query_params.get("queries", "1") or "1")
    except ValueError:
        return 1
    return min(max(count, 1), 500)


async def json(request: Request) -> Response:
    return JSONResponse({"message": "Hello, World!"})


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(b"Hello, World!")


async def db(request: Request) -> Response:
    async with get_pool().acquire() as connection:
        pk, number = await connection.fetchrow(SELECT_WORLD, randint(1, 10000))
    return JSONResponse({"id": pk, "randomNumber": number})


async def queries(request: Request) -> Response:
    count = query_count(request)
    async with get_pool().acquire() as connection:
        statement = await connection.prepare(SELECT_WORLD)
        rows = [await statement.fetchrow(randint(1, 10000)) for _ in range(count)]
    return JSONResponse([{"id": row[0], "randomNumber": row[1]} for row in rows])


async def fortunes(request: Request) -> Response:
    async with get_pool().acquire() as connection:
        rows = [(row[0], row[1]) for row in await connection.fetch(SELECT_FORTUNES)]
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    cells = "".join(f"<tr><td>{pk}</td><td>{escape(message)}</td></tr>" for pk, message in rows)
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
        f"<tr><th>id</th><th>message</th></tr>{cells}</table></body></html>"
    )


async def updates(request: Request) -> Response:
    ids = sorted(sample(range(1, 10001), query_count(request)))
    async with get_pool().acquire() as connection:
        statement = await connection.prepare(SELECT_WORLD)
        worlds = [(pk, (await statement.fetchrow(pk))[1]) for pk in ids]
        worlds = [(pk, randint(1, 10000)) for pk, _ in worlds]
        await connection.executemany(UPDATE_WORLD, worlds)
    return JSONResponse([{"id": pk, "randomNumber": number} for pk, number in worlds])


app = Starlette(
    routes=[
        Route("/json", json),
        Route("/plaintext", plaintext),
        Route("/db", db),
        Route("/queries", queries),
        Route("/fortunes", fortunes),
        Route("/updates", updates),
    ],
    lifespan=lifespan,
)
