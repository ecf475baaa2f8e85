"""``djanco runserver [ADDR:PORT]``: the development server, reloading on code changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape

import djanco
from djanco.cli._console import console
from djanco.cli._project import load_project
from djanco.cli._server import HTTP_PROTOCOL, Address, ensure_port_free, parse_address
from djanco.cli.check import report_checks

DEFAULT_ADDRESS = Address("127.0.0.1", 8000)


def runserver(
    addrport: Annotated[
        str | None,
        typer.Argument(metavar="[ADDR:]PORT", help="Where to listen (default 127.0.0.1:8000)."),
    ] = None,
    reload: Annotated[
        bool, typer.Option("--reload/--noreload", help="Restart when Python files change.")
    ] = True,
) -> None:
    """Start the development server (autoreload; never use it in production)."""
    import uvicorn

    from djanco.core.checks import run_checks

    address = parse_address(addrport, DEFAULT_ADDRESS)
    project = load_project()
    ensure_port_free(address, "runserver")
    console.print("Performing system checks...\n")
    report_checks(run_checks(include_silenced=True))
    console.print(
        f"\n{datetime.now():%B %d, %Y - %X}\n"
        f"Djanco version {djanco.__version__}, using settings {project.settings_module!r}\n"
        f"Starting development server at [bold]{escape(address.url)}[/]\n"
        "Quit the server with CONTROL-C.\n"
    )
    # Each server process imports the project's app itself, so that code broken by an edit
    # gets a 500 page naming the error rather than a server that never answers.
    uvicorn.run(
        "djanco.cli._dev_app:project_app_or_error_page",
        factory=True,
        host=address.host,
        port=address.port,
        reload=reload,
        reload_dirs=[str(project.directory)] if reload else None,
        app_dir=str(project.directory),
        http=HTTP_PROTOCOL,  # header limits and slow-client timeouts from the settings
        log_level="info",
    )
