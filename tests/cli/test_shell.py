"""``djanco shell``: top-level ``await`` (plain prompt, IPython, ``-c``, stdin), the models of
every installed app imported automatically as in Django 5.2, and ``--no-imports``."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.conftest import DJANCO, add_app, clean_env, startproject
from tests.cli.conftest import djanco as run

_MODELS = """from djanco.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Tag(models.Model):
    label = models.SlugField()
"""


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = startproject(tmp_path_factory.mktemp("shell"))
    add_app(project, "blog", _MODELS)
    migrated = run("migrate", cwd=project)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    return project


def test_command_awaits_and_mixes_sync_and_async_statements(blog: Path) -> None:
    code = (
        "print(await Author.objects.acount()); "
        'Tag.objects.create(label="x"); print(Tag.objects.count()); Tag.objects.all().delete()'
    )
    result = run("shell", "-c", code, cwd=blog)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "4 objects imported automatically (use -v 2 for details).\n\n0\n1\n"


def test_piped_code_awaits(blog: Path) -> None:
    script = "total = await Author.objects.acount()\nprint('authors:', total)\n"
    result = run("shell", "-v", "0", cwd=blog, stdin=script)
    assert (result.returncode, result.stdout) == (0, "authors: 0\n"), result.stderr


def test_verbosity_2_lists_the_automatic_imports(blog: Path) -> None:
    result = run("shell", "-v", "2", "-c", "pass", cwd=blog)
    assert result.stdout == (
        "4 objects imported automatically:\n\n"
        "  from blog.models import Author, Tag\n"
        "  from djanco.apps import apps\n"
        "  from djanco.conf import settings\n\n"
    )


def test_no_imports(blog: Path) -> None:
    code = "print(sorted(name for name in globals() if not name.startswith('__')))"
    result = run("shell", "--no-imports", "-c", code, cwd=blog)
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


class _Terminal:
    """A command attached to a pseudo-terminal, as a user at a prompt runs it."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self._fd, child = pty.openpty()
        self.process = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=child, stdout=child, stderr=child, close_fds=True
        )
        os.close(child)
        self.output = ""

    def send(self, line: str) -> None:
        os.write(self._fd, line.encode() + b"\n")

    def expect(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            ready, _, _ = select.select([self._fd], [], [], max(0, deadline - time.monotonic()))
            if not ready:
                pytest.fail(f"{text!r} never appeared in:\n{self.output}")
            try:
                self.output += os.read(self._fd, 4096).decode(errors="replace")
            except OSError:  # the command exited
                pytest.fail(f"{text!r} never appeared in:\n{self.output}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._fd)


@pytest.mark.parametrize("args", [["--plain"], []], ids=["plain", "ipython"])
def test_await_at_the_prompt(blog: Path, tmp_path: Path, args: list[str]) -> None:
    env = clean_env({"IPYTHONDIR": str(tmp_path), "IPY_TEST_SIMPLE_PROMPT": "1"})
    terminal = _Terminal([str(DJANCO), "shell", *args], blog, env)
    try:
        terminal.expect("4 objects imported automatically")
        terminal.send('print("before", await Author.objects.acount())')
        terminal.expect("before 0")
        terminal.send('ada = Author.objects.create(name="Ada")')
        terminal.send("in_sync = Author.objects.count()")
        terminal.send('print("after", await Author.objects.acount(), in_sync)')
        terminal.expect("after 1 1")
        terminal.send("Author.objects.all().delete()")
        terminal.send("exit()")
        assert terminal.process.wait(timeout=30) == 0, terminal.output
    finally:
        terminal.close()
    if not args:
        assert "In [" in terminal.output  # it was IPython's prompt
