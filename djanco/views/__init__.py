"""Views: the class-based View, generic views, the default error views and the DEBUG pages
(View is loaded on first use, so importing this package stays cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from djanco.views.generic.base import View

__all__ = ["View"]


def __getattr__(name: str) -> object:
    # Lazy, though no cycle needs it: importing any submodule (djanco.views.debug, the error
    # pages) runs this module, which must not load the generic views and templates
    # (tests/views/test_view.py holds it to that).
    if name == "View":
        from djanco.views.generic.base import View

        return View
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
