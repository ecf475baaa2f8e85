"""Parsing ``[ADDR:]PORT`` and checking the port, as runserver and serve do."""

from __future__ import annotations

import socket

import pytest

from djanco.cli._console import CommandError
from djanco.cli._server import Address, ensure_port_free, parse_address

DEFAULT = Address("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, DEFAULT),
        ("", DEFAULT),
        ("8080", Address("127.0.0.1", 8080)),
        ("0.0.0.0:80", Address("0.0.0.0", 80)),
        ("0:9000", Address("0.0.0.0", 9000)),
        ("localhost:8001", Address("localhost", 8001)),
        ("[::1]:8002", Address("::1", 8002)),
    ],
)
def test_valid_addresses(text: str | None, expected: Address) -> None:
    assert parse_address(text, DEFAULT) == expected


@pytest.mark.parametrize("text", ["abc", "70000", "0", ":8000", "host:", "[::1]", "1.2.3.4:x"])
def test_invalid_addresses(text: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_address(text, DEFAULT)
    assert str(info.value) == f"{text!r} is not a valid port number or address:port pair."


def test_display() -> None:
    assert str(Address("::1", 8000)) == "[::1]:8000"
    assert Address("0.0.0.0", 8000).url == "http://127.0.0.1:8000/"
    assert Address("::", 8000).url == "http://[::1]:8000/"


def test_port_in_use_is_reported() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(CommandError) as info:
            ensure_port_free(Address("127.0.0.1", port), "runserver")
    assert str(info.value) == (
        f"Port {port} on 127.0.0.1 is already in use. Stop the other server or choose "
        f"another port, e.g. `djanco runserver 127.0.0.1:{port + 1}`."
    )
    ensure_port_free(Address("127.0.0.1", port), "runserver")  # free again once closed
