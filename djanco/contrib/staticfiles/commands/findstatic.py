"""``djanco findstatic PATH...``: which files a static path names, as Django's command."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from djanco.contrib.staticfiles.finders import find, get_finders


def command(
    paths: Annotated[
        list[str], typer.Argument(metavar="STATICFILE", help="Static paths, e.g. css/site.css.")
    ],
    first: Annotated[
        bool, typer.Option("--first", help="Only return the first match for each static file.")
    ] = False,
    verbosity: Annotated[
        int,
        typer.Option(
            "--verbosity", "-v", min=0, max=3, help="0 paths only, 2 also where it looked."
        ),
    ] = 1,
) -> None:
    """Finds the absolute paths for the given static file(s)."""
    locations = [str(location) for finder in get_finders() for location in finder.locations]
    searched = "\nLooking in the following locations:\n  " + "\n  ".join(locations)
    for path in paths:
        found = find(path, find_all=True)
        files = [os.path.realpath(file) for file in (found[:1] if first else found)]
        if not files:
            if verbosity >= 1:
                message = f"No matching file found for {path!r}."
                print(message + (searched if verbosity >= 2 else ""), file=sys.stderr)
            continue
        if verbosity == 0:
            print("\n".join(files))
        else:
            listed = "\n  ".join(files)
            print(f"Found {path!r} here:\n  {listed}" + (searched if verbosity >= 2 else ""))
