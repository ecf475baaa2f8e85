"""Private PostgreSQL and MariaDB servers, in a temporary directory on a free port, that a test
may stop and restart without touching the machine's shared database services."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Protocol

import pytest

from tests.cli.conftest import free_port


class PrivateServer(Protocol):
    url: str
    """A URL of a database on the server that Djanco can use."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def restart(self) -> None: ...
    def destroy(self) -> None: ...


class PrivatePostgres:
    """``initdb`` + ``pg_ctl`` (run as the ``postgres`` user when we are root)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
        self._bin = os.path.dirname(found[-1])
        self._as_user: list[str] = []
        self.directory = tempfile.mkdtemp(prefix="djanco-pg-")
        if os.geteuid() == 0:  # postgres refuses to run as root
            if shutil.which("runuser") is None:
                pytest.skip("running a private PostgreSQL as root needs runuser")
            shutil.chown(self.directory, user="postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", self._data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @property
    def _data(self) -> str:
        return os.path.join(self.directory, "data")

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._as_user, os.path.join(self._bin, tool), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = os.path.join(self.directory, "log")
        self._run("pg_ctl", action, "-D", self._data, "-w", "-l", log, "-o", options, *args)

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivateMariaDB:
    """``mariadb-install-db`` + ``mariadbd``, with no option files read."""

    def __init__(self) -> None:
        install, server = shutil.which("mariadb-install-db"), shutil.which("mariadbd")
        if install is None or server is None:
            pytest.skip("MariaDB server binaries (mariadb-install-db, mariadbd) are not installed")
        self._server = server
        self.directory = tempfile.mkdtemp(prefix="djanco-mariadb-")
        self.port = free_port()
        self.url = f"mysql://root@127.0.0.1:{self.port}/mysql"
        self._process: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [
                install,
                "--no-defaults",
                f"--datadir={self._data}",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    @property
    def _data(self) -> str:
        return os.path.join(self.directory, "data")

    def start(self) -> None:
        with open(os.path.join(self.directory, "log"), "ab") as log:
            self._process = subprocess.Popen(
                [
                    self._server,
                    "--no-defaults",
                    f"--datadir={self._data}",
                    f"--port={self.port}",
                    f"--socket={os.path.join(self.directory, 'sock')}",
                    "--bind-address=127.0.0.1",
                    "--user=root",
                    "--skip-log-bin",
                    "--innodb-buffer-pool-size=16M",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"mariadbd exited; see {self.directory}/log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.1)
            else:
                return
        raise RuntimeError(f"mariadbd did not listen within 60 s; see {self.directory}/log")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=60)
            self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=60)
            self._process = None
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivateRedis:
    """A ``redis-server`` of our own on a free port, with nothing saved to disk: a test may
    stop it (the machine's shared Redis on 6379 is never touched)."""

    def __init__(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.skip("redis-server is not installed")
        self._server = server
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                self._server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("redis-server exited at start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.05)
            else:
                return
        raise RuntimeError("redis-server did not listen within 30 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=30)
            self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        self.stop()
