"""Running Python code as ``djanco shell`` does: top-level ``await`` allowed, one statement at a
time, on one event loop kept for the session.

Each top-level statement runs on its own, and only a statement that awaits runs inside the
event loop. So sync ORM calls (which refuse to run inside a running loop) and async ones can
follow each other in the same session or script, and async connections opened by one
statement are still usable by the next.
"""

from __future__ import annotations

import ast
import asyncio
import code
import inspect
from types import CodeType

_AWAIT_FLAG = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def run_statements(
    source: str, filename: str, namespace: dict[str, object], runner: asyncio.Runner
) -> None:
    """Run ``source`` statement by statement in ``namespace``; awaiting ones on ``runner``."""
    for statement in ast.parse(source, filename).body:
        module = ast.Module(body=[statement], type_ignores=[])
        _run(compile(module, filename, "exec", flags=_AWAIT_FLAG), namespace, runner)


def _run(compiled: CodeType, namespace: dict[str, object], runner: asyncio.Runner) -> None:
    result = eval(compiled, namespace)
    if inspect.iscoroutine(result):
        runner.run(result)


class AwaitingConsole(code.InteractiveConsole):
    """The standard interactive console, accepting ``await`` at the prompt (as
    ``python -m asyncio`` does)."""

    def __init__(self, namespace: dict[str, object], runner: asyncio.Runner) -> None:
        super().__init__(namespace)
        self.compile.compiler.flags |= _AWAIT_FLAG
        self.runner = runner
        self.namespace = namespace

    def runcode(self, code: CodeType) -> None:
        try:
            _run(code, self.namespace, self.runner)
        except SystemExit:
            raise
        except BaseException:
            self.showtraceback()
