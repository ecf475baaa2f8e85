"""``djanco test [PYTEST ARGS…]``: the project's tests, run by pytest with the Djanco plugin."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from djanco.cli._console import CommandError
from djanco.cli._project import has_project, load_project

# pytest options whose separate value is an expression or a name, never a path to rewrite.
_NON_PATH_VALUE_OPTIONS = frozenset({"-k", "-m", "-p", "-o", "-W", "--override-ini"})
# The ``test`` extra: what a project's tests need beyond a running site.
_TEST_REQUIREMENTS = {"pytest": "pytest", "pytest_asyncio": "pytest-asyncio", "httpx": "httpx"}


def test(ctx: typer.Context) -> None:
    """Run the project's tests with pytest; extra arguments are passed to pytest."""
    missing = [name for module, name in _TEST_REQUIREMENTS.items() if not _installed(module)]
    if missing:
        raise CommandError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed; "
            "install what `djanco test` needs with `pip install 'djanco[test]'`."
        )
    args: list[str] = list(ctx.args)
    cwd: Path | None = None
    if has_project():
        # Fail now, with one clear line, if the settings are broken. Then run in the project
        # directory, as manage.py would, so that `djanco test` from a subdirectory runs the
        # whole suite; paths given relative to where the user stands still mean the same.
        cwd = load_project().directory
        args = _paths_relative_to(Path.cwd(), args) if cwd != Path.cwd() else args
    # A fresh interpreter: in this one Djanco is already imported, which would stop pytest
    # from rewriting asserts in it and leak this process's setup into the test run.
    completed = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, check=False)
    raise typer.Exit(completed.returncode)


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _paths_relative_to(base: Path, args: Sequence[str]) -> list[str]:
    """Make every argument naming an existing path under ``base`` absolute (``file::test``
    node ids included); option values such as ``-k expr`` are left alone."""
    result: list[str] = []
    previous = ""
    for arg in args:
        path, sep, rest = arg.partition("::")
        if (
            not arg.startswith("-")
            and previous not in _NON_PATH_VALUE_OPTIONS
            and path
            and (base / path).exists()
        ):
            arg = str((base / path).resolve()) + sep + rest
        result.append(arg)
        previous = arg
    return result
