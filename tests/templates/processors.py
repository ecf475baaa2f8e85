"""Context processors for the tests: functions taking the request, returning variables."""

from __future__ import annotations

from djanco.http import HttpRequest


def path_info(request: HttpRequest) -> dict[str, object]:
    return {"current_path": request.path, "name": "from the processor"}


def section(request: HttpRequest) -> dict[str, object]:
    return {"section": request.path.strip("/").partition("/")[0]}


NOT_A_FUNCTION = 5
