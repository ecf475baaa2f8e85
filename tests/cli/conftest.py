"""Helpers to run the installed ``djanco`` script and real servers in temporary projects."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx
import pytest

DJANCO = Path(sys.executable).with_name("djanco")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without its DJANCO_* variables (DJANCO_SETTINGS!)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANCO_")}
    env.update(extra or {})
    return env


def djanco(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run ``djanco ARGS`` in ``cwd`` with ``stdin`` piped in, and capture its output."""
    return subprocess.run(
        [str(DJANCO), *args],
        cwd=cwd,
        env=clean_env(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """The command failed with exit code 1 and one ``Error: …`` line, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0]
    return errors[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A ``djanco`` server subprocess in its own process group (so workers die with it)."""

    process: subprocess.Popen[bytes]
    log: Path
    port: int
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                httpx.get(self.base_url + "/", timeout=1)
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                return
        pytest.fail(f"server did not answer within {timeout}s:\n{self.output()}")

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base_url + path, timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


class StartServer(Protocol):
    def __call__(
        self, command: str, cwd: Path, *args: str, env: Mapping[str, str] | None = None
    ) -> Server: ...


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """Start ``djanco <command> 127.0.0.1:<free port> …`` in a project; stopped at teardown."""
    servers: list[Server] = []

    def start(command: str, cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> Server:
        port = free_port()
        log = tmp_path / f"server-{len(servers)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [str(DJANCO), command, f"127.0.0.1:{port}", *args],
                cwd=cwd,
                env=clean_env(env),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(process, log, port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def startproject(parent: Path, name: str = "mysite") -> Path:
    result = djanco("startproject", name, cwd=parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return parent / name


@pytest.fixture(scope="session")
def mysite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly scaffolded project shared by the tests that only read it."""
    return startproject(tmp_path_factory.mktemp("shared"))


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """A scaffolded project of the test's own, free to modify."""
    return startproject(tmp_path)


def add_app(project: Path, name: str, models: str) -> Path:
    """``djanco startapp NAME`` in ``project``, installed, with ``models`` as its models.py and
    its first migration made; returns the app's directory."""
    result = djanco("startapp", name, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    settings = project / "mysite" / "settings.py"
    text = re.sub(
        r"INSTALLED_APPS(: list\[str\])? = \[",
        f'INSTALLED_APPS = ["{name}", ',
        settings.read_text(),
    )
    settings.write_text(text)
    (project / name / "models.py").write_text(models)
    made = djanco("makemigrations", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    return project / name
