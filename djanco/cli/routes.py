"""``djanco routes``: a table of every URL pattern with its name and view."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from djanco.cli._console import console
from djanco.cli._project import load_project


def routes() -> None:
    """List the project's URL patterns, their names and views."""
    from djanco.urls import get_resolver

    load_project()
    table = Table("Pattern", "Name", "View", title="URL patterns", title_justify="left")
    count = 0
    for route in get_resolver().iter_routes():
        table.add_row(_display_pattern(route.route), route.name or "", _view_name(route.view))
        count += 1
    if count == 0:
        console.print("No URL patterns.")
        return
    console.print(table)


def _display_pattern(route: str) -> str:
    # path() routes are relative to "/"; regular expressions are shown as written.
    return route if route.startswith("^") else "/" + route


def _view_name(view: Callable[..., object]) -> str:
    view = getattr(view, "view_class", view)  # View.as_view() functions name their class
    module = getattr(view, "__module__", None)
    name = getattr(view, "__qualname__", None) or type(view).__qualname__
    return f"{module}.{name}" if module else name
