"""The README's and docs/getting-started.md's commands, run in order in a temporary directory as
a reader would run them.

Shell blocks run with bash; the tutorial's file blocks are written where the HTML comment
before them says (``file:`` writes the file, ``append:`` adds to it, ``undo:`` takes the last
addition back, ``line:`` replaces the line starting with the block's first word); an output
block right after a shell block must match what it printed (``…`` and timings match
anything). The only rewrites: ``/path/to/djanco`` is a copy of this repository; servers are
started in the background on a free port instead of 8000 and must answer their home page, and
are stopped at the end; the README's test command runs one test module, as the whole suite
would run this test again.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli.conftest import clean_env, free_port

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^<!-- (file|append|undo|line): (\S+) -->$")
_SERVER = re.compile(r"((?:\S*/)?djanco (?:runserver|serve)\b[^&|;#\n]*)")
_TIMING = re.compile(r"\\ \d+\\\.\d+s")

_PRELUDE = r"""
set -euo pipefail
stop_server() {
    if [ -f "$DOCS_STATE/server.pgid" ]; then
        local group; group=$(cat "$DOCS_STATE/server.pgid"); rm "$DOCS_STATE/server.pgid"
        kill -- "-$group" 2>/dev/null || true
        while kill -0 -- "-$group" 2>/dev/null; do sleep 0.1; done
    fi
}
start_server() {
    stop_server
    setsid "$@" "127.0.0.1:$DOCS_PORT" >"$DOCS_STATE/server.log" 2>&1 </dev/null &
    echo $! >"$DOCS_STATE/server.pgid"
    for _ in $(seq 600); do
        curl -fs -o /dev/null "http://127.0.0.1:$DOCS_PORT/" && return 0
        kill -0 "$!" 2>/dev/null || break
        sleep 0.1
    done
    cat "$DOCS_STATE/server.log" >&2
    return 1
}
"""
# What the next block starts from: the directory, and the environment `activate` changed.
_SAVE_STATE = (
    'pwd >"$DOCS_STATE/cwd"; printf "%s\\n%s" "$PATH" "${VIRTUAL_ENV:-}" >"$DOCS_STATE/env"'
)


@dataclass
class Block:
    language: str
    code: str
    marker: tuple[str, str] | None = None
    output: str | None = None  # the output block that follows a shell block


def blocks(markdown: str) -> list[Block]:
    """The fenced code blocks, with their markers and paired output blocks."""
    found: list[Block] = []
    lines = markdown.splitlines()
    index = 0
    previous_shell: Block | None = None
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        undo = _MARKER.match(lines[index])
        if undo and undo.group(1) == "undo":
            found.append(Block("", "", ("undo", undo.group(2))))
        if not fence:
            if lines[index].strip():
                previous_shell = None
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        marker = _MARKER.match(lines[index - 1]) if index else None
        block = Block(
            fence.group(1),
            "\n".join(lines[index + 1 : end]) + "\n",
            (marker.group(1), marker.group(2)) if marker else None,
        )
        if block.language == "" and previous_shell is not None:
            previous_shell.output = block.code
            previous_shell = None
        else:
            found.append(block)
            previous_shell = block if block.language == "sh" else None
        index = end + 1
    return found


def assert_printed(expected: str, printed: str) -> None:
    """Every line of ``expected`` is a line of ``printed``, in order (``…``, timings: any)."""
    actual = [line.strip() for line in printed.splitlines()]
    position = 0
    for line in (line.strip() for line in expected.splitlines()):
        if not line:
            continue
        pattern = _TIMING.sub(r" [0-9.]+s", re.escape(line)).replace("…", ".*")
        while position < len(actual) and not re.fullmatch(pattern, actual[position]):
            position += 1
        assert position < len(actual), f"{line!r} not printed in order:\n{printed}"
        position += 1


@dataclass
class Reader:
    """Runs blocks in a temporary directory, keeping the directory and the activated
    environment from one shell block to the next, as a terminal would."""

    cwd: Path
    state: Path
    env: dict[str, str] = field(default_factory=dict)
    added: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        outside = [p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p]
        self.env = clean_env({"PATH": os.pathsep.join(outside)})
        self.env.pop("VIRTUAL_ENV", None)
        self.env.update(
            DOCS_STATE=str(self.state), DOCS_PORT=str(free_port()), PIP_PROGRESS_BAR="off"
        )
        self.state.mkdir(parents=True, exist_ok=True)

    def shell(self, block: Block, **extra_env: str) -> str:
        failing = (block.output or "").startswith("Error:")
        code = block.code.replace("/path/to/djanco", str(self.state / "djanco"))
        code = code.replace("127.0.0.1:8000", f"127.0.0.1:{self.env['DOCS_PORT']}")
        if not failing:
            code = _SERVER.sub(r"start_server \1", code)
        script = f"{_PRELUDE}\ncd {self.cwd}\n{code}\n{_SAVE_STATE}"
        result = subprocess.run(
            ["bash", "-c", script],
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=900,
        )
        printed = result.stdout + result.stderr
        if failing:
            assert result.returncode != 0, printed
        else:
            assert result.returncode == 0, f"{block.code}\n{printed}"
            self.cwd = Path((self.state / "cwd").read_text().strip())
            path, _, virtual_env = (self.state / "env").read_text().partition("\n")
            self.env.update(PATH=path, VIRTUAL_ENV=virtual_env)
        if block.output is not None:
            assert_printed(block.output, printed)
        return printed

    def edit(self, block: Block) -> None:
        assert block.marker is not None
        kind, name = block.marker
        path = self.cwd / name
        if kind == "file":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.code)
        elif kind == "append":
            self.added[path] = path.read_text()
            path.write_text(self.added[path] + block.code)
        elif kind == "line":
            first_word = block.code.split()[0]
            lines = path.read_text().splitlines(keepends=True)
            [at] = [i for i, line in enumerate(lines) if line.startswith(first_word)]
            lines[at] = block.code
            path.write_text("".join(lines))

    def undo(self, name: str) -> None:
        path = self.cwd / name
        path.write_text(self.added.pop(path))

    def stop_servers(self) -> None:
        pgid = self.state / "server.pgid"
        if pgid.exists():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pgid.read_text()), signal.SIGTERM)


def _copy_repository(target: Path) -> None:
    """The repository's files as a fresh clone has them (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPOSITORY / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[Reader]:
    state = tmp_path / "state"
    state.mkdir()
    _copy_repository(state / "djanco")
    started = Reader(cwd=tmp_path / "work", state=state)
    started.cwd.mkdir()
    yield started
    started.stop_servers()


def test_readme(reader: Reader) -> None:
    example, suite, own_project = blocks((REPOSITORY / "README.md").read_text())
    clone = reader.state / "djanco"
    # The first command, in a fresh clone: the example's server answers its home page.
    reader.cwd = clone
    reader.shell(example)
    reader.stop_servers()
    # The second, from the repository root; the module that compares the example, which has
    # now run, with the scaffold stands in for the whole suite.
    reader.cwd = clone
    printed = reader.shell(suite, PYTEST_ADDOPTS="tests/cli/test_example.py")
    assert re.search(r"\b2 passed\b", printed), printed
    # Starting one's own project, with the clone's environment active.
    reader.cwd = reader.cwd.parent.parent / "work"
    reader.env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{reader.env['PATH']}"
    printed = reader.shell(own_project)
    assert "System check identified no issues" in printed
    assert re.search(r"\b2 passed\b", printed), printed


def test_getting_started(reader: Reader) -> None:
    markdown = (REPOSITORY / "docs" / "getting-started.md").read_text()
    ran = 0
    for block in blocks(markdown):
        if block.marker is not None and block.marker[0] == "undo":
            reader.undo(block.marker[1])
        elif block.marker is not None:
            reader.edit(block)
        elif block.language == "sh":
            reader.shell(block)
            ran += 1
    assert ran == 16
