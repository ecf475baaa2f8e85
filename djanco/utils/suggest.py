"""Closest-name suggestions for error messages about mistyped names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``name``, or None when none is close enough to suggest."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'X'?`` for the closest choice, or ``""`` when none is close."""
    match = closest(name, choices)
    return f" Did you mean {match!r}?" if match else ""
