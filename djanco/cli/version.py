"""``djanco version``: print Djanco's version."""

from __future__ import annotations

import djanco
from djanco.cli._console import console


def version() -> None:
    """Print the Djanco version."""
    console.print(djanco.__version__)
