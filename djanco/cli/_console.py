"""Shared Rich consoles and the error type commands raise for a clean one-line failure."""

from __future__ import annotations

from rich.console import Console

# Piped output (tests, CI logs) must not wrap tables or messages at 80 columns.
_PIPED_WIDTH = 200


def _console(*, stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = max(console.width, _PIPED_WIDTH)
    return console


console = _console(stderr=False)
err_console = _console(stderr=True)


class CommandError(Exception):
    """A failure the user can fix; ``djanco`` prints it as one ``Error: …`` line, exit code 1."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
