"""The URL layer's errors: a path that resolves to nothing, a name that reverses to nothing."""

from __future__ import annotations

from djanco.core.exceptions import Http404

__all__ = ["NoReverseMatch", "Resolver404"]


class NoReverseMatch(Exception):
    """``reverse()`` found no URL pattern for the given name and arguments."""


class Resolver404(Http404):
    """No URL pattern matches ``path``; ``tried`` lists the full routes that were tried."""

    def __init__(self, path: str, tried: list[str], names: list[str | None] | None = None) -> None:
        self.path = path
        self.tried = tried
        self.names = names if names is not None else [None] * len(tried)
        """The pattern name of each route in ``tried`` (None where it has none)."""
        super().__init__(f"No URL pattern matches {path!r} ({len(tried)} pattern(s) tried).")
