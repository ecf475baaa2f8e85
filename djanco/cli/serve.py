"""``djanco serve [ADDR:PORT] --workers N``: the production server (no reload, N processes)."""

from __future__ import annotations

from typing import Annotated

import typer

import djanco
from djanco.cli._console import CommandError, console
from djanco.cli._project import load_project
from djanco.cli._server import (
    HTTP_PROTOCOL,
    Address,
    asgi_target,
    ensure_port_free,
    parse_address,
)
from djanco.cli.check import report_checks
from djanco.conf import settings

DEFAULT_ADDRESS = Address("0.0.0.0", 8000)


def serve(
    addrport: Annotated[
        str | None,
        typer.Argument(metavar="[ADDR:]PORT", help="Where to listen (default 0.0.0.0:8000)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Number of worker processes.")
    ] = 1,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Serve even though DEBUG is on (never in production)."),
    ] = False,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = True,
) -> None:
    """Serve the project in production with uvicorn worker processes."""
    import uvicorn

    from djanco.core.checks import WARNING, run_checks

    address = parse_address(addrport, DEFAULT_ADDRESS)
    project = load_project()
    if settings.DEBUG and not insecure:
        raise CommandError(
            "DEBUG is on, which leaks internals and is slow; refusing to serve. Set "
            "DJANCO_DEBUG=false and a real DJANCO_SECRET_KEY, or pass --insecure to serve anyway."
        )
    messages = run_checks(include_silenced=True)
    if any(m.level >= WARNING and not m.is_silenced() for m in messages):
        report_checks(messages)
    ensure_port_free(address, "serve")
    target = asgi_target(project.settings_module)
    console.print(
        f"Djanco {djanco.__version__} serving {target.import_string} "
        f"(settings {project.settings_module!r}) at {address.url} with "
        f"{workers} worker{'s' if workers > 1 else ''}"
    )
    uvicorn.run(
        target.import_string,
        factory=target.factory,
        host=address.host,
        port=address.port,
        workers=workers,
        app_dir=str(project.directory),
        http=HTTP_PROTOCOL,  # header limits and slow-client timeouts from the settings
        access_log=access_log,
        log_level="info",
    )
