"""One generator drives an operation's sync and async forms (djanco.utils.flow)."""

from __future__ import annotations

import asyncio

import pytest

from djanco.utils.flow import Call, Flow, arun, done, run


def _double(x: int) -> int:
    return 2 * x


async def _adouble(x: int) -> int:
    await asyncio.sleep(0)
    return -2 * x  # a different answer, so the tests see which form ran


def _fail(x: int) -> int:
    raise KeyError(x)


async def _afail(x: int) -> int:
    raise KeyError(-x)


def _sum_of_doubles(n: int) -> Flow[int]:
    total = 0
    for i in range(n):
        total += yield Call(_double, _adouble, i)
    return total


def _recovering() -> Flow[str]:
    try:
        yield Call(_fail, _afail, 3)
    except KeyError as exc:
        value: int = yield Call(_double, _adouble, exc.args[0])
        return f"recovered {value}"
    return "not reached"


def _nested() -> Flow[int]:
    first = yield from _sum_of_doubles(3)
    return first + (yield Call(_double, _adouble, 100))


def test_run_uses_each_steps_sync_form() -> None:
    assert run(_sum_of_doubles(4)) == 12


async def test_arun_awaits_each_steps_async_form() -> None:
    assert await arun(_sum_of_doubles(4)) == -12


def test_a_flow_with_no_step_returns_at_once() -> None:
    assert run(_sum_of_doubles(0)) == 0


def test_a_steps_exception_is_thrown_into_the_flow() -> None:
    assert run(_recovering()) == "recovered 6"


async def test_a_steps_exception_is_thrown_into_the_flow_async() -> None:
    assert await arun(_recovering()) == "recovered 6"


def test_an_uncaught_exception_leaves_the_driver() -> None:
    def flow() -> Flow[int]:
        return (yield Call(_fail, _afail, 1))

    with pytest.raises(KeyError):
        run(flow())


async def test_flows_compose_with_yield_from() -> None:
    assert run(_nested()) == 6 + 200
    assert await arun(_nested()) == -6 - 200


async def test_done_is_a_flow_of_a_known_result() -> None:
    def flow() -> Flow[int]:
        first = yield from done(5)
        return first + (yield Call(_double, _adouble, 1))

    assert run(done("x")) == "x"
    assert run(flow()) == 7
    assert await arun(flow()) == 3
