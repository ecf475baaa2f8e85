"""What ``runserver`` and ``serve`` share: address parsing, the port check, the app to run."""

from __future__ import annotations

import errno
import importlib.util
import socket
from dataclasses import dataclass

from djanco.cli._console import CommandError

HTTP_PROTOCOL = "djanco.server:HttpProtocol"
"""uvicorn's ``http`` option: its httptools protocol with the settings' header limits and
slow-client timeouts (named, not imported, so the CLI starts without loading uvicorn)."""


@dataclass(frozen=True)
class Address:
    """Where to listen; ``host`` is bare (no brackets) so it can be given to bind()."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The URL to print; wildcard addresses are shown as loopback, which reaches them."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"


def parse_address(value: str | None, default: Address) -> Address:
    """Parse ``PORT``, ``HOST:PORT`` or ``[IPv6]:PORT`` (Django's forms; ``0`` is 0.0.0.0)."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    host, port_text = default.host, text
    if text.startswith("["):
        bracketed, sep, port_text = text[1:].partition("]:")
        host = bracketed if sep else ""
    elif ":" in text:
        host, _, port_text = text.rpartition(":")
    if host == "0":
        host = "0.0.0.0"
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise CommandError(f"{value!r} is not a valid port number or address:port pair.")
    return Address(host, int(port_text))


def ensure_port_free(address: Address, command: str) -> None:
    """Fail with one clear line if something already listens on ``address``.

    Binds with SO_REUSEADDR, as uvicorn does, so a port in TIME_WAIT does not count as taken.
    """
    family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address.host, address.port))
        except socket.gaierror as exc:
            raise CommandError(
                f"Cannot listen on {address}: unknown host {address.host!r}."
            ) from exc
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = Address(address.host, address.port + 1 if address.port < 65535 else 8000)
                raise CommandError(
                    f"Port {address.port} on {address.host} is already in use. Stop the other "
                    f"server or choose another port, e.g. `djanco {command} {other}`."
                ) from exc
            if exc.errno == errno.EACCES:
                raise CommandError(
                    f"Permission denied to listen on {address}; ports below 1024 need root."
                ) from exc
            raise CommandError(f"Cannot listen on {address}: {exc.strerror}.") from exc


@dataclass(frozen=True)
class AppTarget:
    """The ASGI app as uvicorn wants it for reload and workers: an import string."""

    import_string: str
    factory: bool


def asgi_target(settings_module: str) -> AppTarget:
    """The project's ``<package>.asgi:application`` if there is one, else Djanco's factory."""
    package, _, _ = settings_module.rpartition(".")
    if package:
        try:
            spec = importlib.util.find_spec(f"{package}.asgi")
        except ImportError:
            spec = None
        if spec is not None:
            return AppTarget(f"{package}.asgi:application", factory=False)
    return AppTarget("djanco.asgi:get_asgi_app", factory=True)
