"""Views: the class-based View (loaded on first use, so importing this package stays cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from djanco.views.generic.base import View

__all__ = ["View"]


def __getattr__(name: str) -> object:
    # Lazy so that importing djanco.views.debug (the handler's error pages) does not pull in
    # the templates and generic views.
    if name == "View":
        from djanco.views.generic.base import View

        return View
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
