"""The TechEmpower test types as a FastAPI application: ``uvicorn te_fastapi.app:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from random import randint, sample
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/hello_world"
engine = create_async_engine(DATABASE_URL, pool_size=20, max_overflow=0)
Session = async_sessionmaker(engine, expire_on_commit=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))


class Base(DeclarativeBase):
    pass


class World(Base):
    __tablename__ = "world"
    id: Mapped[int] = mapped_column(primary_key=True)
    randomnumber: Mapped[int]


class Fortune(Base):
    __tablename__ = "fortune"
    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(String(2048))


async def get_session() -> AsyncIterator[AsyncSession]:
    async with Session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan, openapi_url=None)


def query_count(queries: str | None) -> int:
    """The ``queries`` parameter, clamped to 1..500 (1 when missing or not a number)."""
    try:
        count = int(queries or "1")
    except ValueError:
        return 1
    return min(max(count, 1), 500)


def world_dict(world: World) -> dict[str, int]:
    return {"id": world.id, "randomNumber": world.randomnumber}


async def load_world(session: AsyncSession, pk: int) -> World:
    # populate_existing: a repeated id is read from the database again, not the identity map.
    world = await session.get(World, pk, populate_existing=True)
    assert world is not None
    return world


@app.get("/json")
async def json() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext() -> str:
    return "Hello, World!"


@app.get("/db")
async def db(session: SessionDep) -> dict[str, int]:
    return world_dict(await load_world(session, randint(1, 10000)))


@app.get("/queries")
async def queries(session: SessionDep, queries: str | None = None) -> list[dict[str, int]]:
    count = query_count(queries)
    return [world_dict(await load_world(session, randint(1, 10000))) for _ in range(count)]


@app.get("/fortunes", response_class=HTMLResponse)
async def fortunes(request: Request, session: SessionDep) -> HTMLResponse:
    rows = list(await session.scalars(select(Fortune)))
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=lambda fortune: fortune.message)
    return templates.TemplateResponse(request, "fortunes.html", {"fortunes": rows})


@app.get("/updates")
async def updates(session: SessionDep, queries: str | None = None) -> list[dict[str, int]]:
    ids = sorted(sample(range(1, 10001), query_count(queries)))
    async with session.begin():
        worlds = [await load_world(session, pk) for pk in ids]
        for world in worlds:
            world.randomnumber = randint(1, 10000)
    return [world_dict(world) for world in worlds]
