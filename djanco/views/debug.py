"""The DEBUG error pages: the traceback page for a 500 and the patterns-tried page for a 404.

Only shown with ``DEBUG = True``; everything taken from the request or the code is
HTML-escaped, and secrets are masked by name and by value (see ``djanco.views.masking``).
"""

from __future__ import annotations

import linecache
import platform
import traceback
from html import escape
from types import TracebackType
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.http import HttpResponse
from djanco.urls import Resolver404
from djanco.utils.version import __version__
from djanco.views.masking import MASK, SECRET_NAMES, SecretMasker

if TYPE_CHECKING:
    from djanco.http import HttpRequest

_CONTEXT_LINES = 5

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{background:#ffc;padding:12px 24px;border-bottom:1px solid #ddd}
header.nf{background:#ffe6cc}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:18px 0 8px}
section{padding:4px 24px}table{border-collapse:collapse}
th{text-align:right;padding:2px 10px 2px 0;vertical-align:top;color:#555}
td{padding:2px 0}pre,code{font:12px/1.4 ui-monospace,monospace}
pre.exc{font-size:15px;white-space:pre-wrap;margin:0 0 8px}
.frame{border:1px solid #ddd;margin:8px 0;padding:6px 10px;border-radius:3px}
.frame .loc{color:#555}.ctx{margin:4px 0;background:#f7f7f7;padding:4px}
.ctx .cur{background:#fdd;display:block}details summary{cursor:pointer;color:#555}
footer{background:#eee;padding:12px 24px;margin-top:16px;color:#555}
ol li{font-family:ui-monospace,monospace}
"""


def technical_500_response(
    request: HttpRequest, exc: BaseException, status_code: int = 500
) -> HttpResponse:
    """The traceback page: the exception, each frame with its source and locals, the request."""
    mask = SecretMasker.from_settings()
    exc_type = type(exc).__name__
    title = f"{exc_type} at {request.path}"
    message = mask(str(exc))
    body = "".join(
        [
            "<header>",
            f"<h1>{escape(exc_type)} at {escape(request.path)}</h1>",
            f'<pre class="exc">{escape(message) or "No exception message supplied"}</pre>',
            _table(_summary(request, exc, mask)),
            "</header>",
            _traceback_html(exc, mask),
            _request_html(request, mask),
            _footer(status_code),
        ]
    )
    return HttpResponse(_page(title, body), status=status_code)


def technical_404_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The 404 page: the URL patterns tried, in order, or the view's Http404 message."""
    mask = SecretMasker.from_settings()
    tried = exc.tried if isinstance(exc, Resolver404) else None
    path = request.path.removeprefix("/")
    parts = [
        '<header class="nf"><h1>Page not found <small>(404)</small></h1>',
        _table(_summary(request, exc if tried is None else None, mask)),
        "</header><section>",
    ]
    if tried is not None:
        urlconf = escape(str(settings.ROOT_URLCONF))
        if tried:
            names = exc.names if isinstance(exc, Resolver404) else []
            items = "".join(
                f"<li>{escape(route)}"
                + (f" <small>[name='{escape(name)}']</small>" if name else "")
                + "</li>"
                for route, name in zip(tried, names, strict=False)
            )
            parts.append(
                f"<p>Using the URLconf defined in <code>{urlconf}</code>, Djanco tried these URL"
                f" patterns, in this order:</p><ol>{items}</ol>"
                f"<p>The current path, <code>{escape(path)}</code>, didn't match any of these.</p>"
            )
        else:
            parts.append(
                f"<p>The URLconf <code>{urlconf}</code> has no URL patterns, so the current path,"
                f" <code>{escape(path)}</code>, matched nothing.</p>"
            )
    else:
        message = mask(str(exc)) or "The view raised Http404 without a message."
        parts.append(f"<p>{escape(message)}</p>")
    parts += ["</section>", _footer(404)]
    page = _page("Page not found at " + request.path, "".join(parts))
    return HttpResponse(page, status=404)


def _summary(
    request: HttpRequest, exc: BaseException | None, mask: SecretMasker
) -> list[tuple[str, str]]:
    scheme: str = request.scope.get("scheme", "http")
    url = mask(f"{scheme}://{_raw_host(request)}{request.get_full_path()}")
    rows = [("Request Method", request.method), ("Request URL", url)]
    match = request.resolver_match
    if match is not None:
        func = match.func
        name = f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"
        rows.append(("Raised by" if exc is None else "View", name))
    if exc is not None:
        rows.append(("Exception Type", f"{type(exc).__module__}.{type(exc).__qualname__}"))
        rows.append(("Exception Value", mask(str(exc))))
        frame = _last_frame(exc.__traceback__)
        if frame is not None:
            rows.append(("Exception Location", f"{frame[0]}, line {frame[1]}, in {frame[2]}"))
    rows.append(("Djanco Version", __version__))
    rows.append(("Python Version", platform.python_version()))
    return rows


def _raw_host(request: HttpRequest) -> str:
    # The unvalidated Host: this page may be showing a DisallowedHost error.
    return request.headers.get("host") or "unknown-host"


def _last_frame(tb: TracebackType | None) -> tuple[str, int, str] | None:
    last = None
    for frame, lineno in traceback.walk_tb(tb):
        last = (frame.f_code.co_filename, lineno, frame.f_code.co_name)
    return last


def _traceback_html(exc: BaseException, mask: SecretMasker) -> str:
    if exc.__traceback__ is None:
        return ""  # answered without being raised (e.g. a refused Host): nothing to show
    plain = mask("".join(traceback.format_exception(exc)))
    return (
        "<section><h2>Traceback <small>(most recent call last)</small></h2>"
        f"{_frames_html(exc, mask)}<details><summary>Plain-text traceback</summary>"
        f"<pre>{escape(plain)}</pre></details></section>"
    )


def _frames_html(exc: BaseException, mask: SecretMasker) -> str:
    parts: list[str] = []
    for index, chained in enumerate(_exception_chain(exc)):
        if index:
            parts.append(
                f"<h2>While handling the above, {escape(type(chained).__name__)}:"
                f" {escape(mask(str(chained)))}</h2>"
            )
        for frame, lineno in traceback.walk_tb(chained.__traceback__):
            code = frame.f_code
            parts.append(
                '<div class="frame"><div class="loc">'
                f"<code>{escape(code.co_filename)}</code>, line {lineno}, in"
                f" <code>{escape(code.co_name)}</code></div>"
                f"{_source_html(code.co_filename, lineno, frame.f_globals, mask)}"
                "<details><summary>Local vars</summary>"
                f"{_locals_html(frame.f_locals, mask)}</details>"
                "</div>"
            )
    return "".join(parts)


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """The chain from the first exception raised to ``exc`` (the order Python prints them)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        cause = current.__cause__
        current = (
            cause if cause is not None or current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def _source_html(
    filename: str, lineno: int, module_globals: dict[str, object], mask: SecretMasker
) -> str:
    first = max(1, lineno - _CONTEXT_LINES)
    lines = []
    for number in range(first, lineno + _CONTEXT_LINES + 1):
        line = linecache.getline(filename, number, module_globals)
        if not line:
            break
        text = escape(mask(f"{number:>5} {line.rstrip()}"))
        lines.append(f'<span class="cur">{text}</span>' if number == lineno else text + "\n")
    return f'<pre class="ctx">{"".join(lines)}</pre>' if lines else ""


def _locals_html(variables: dict[str, object], mask: SecretMasker) -> str:
    rows = [
        (name, MASK if SECRET_NAMES.search(name) else mask.repr(value))
        for name, value in sorted(variables.items())
    ]
    return _table(rows) if rows else "<p>No local variables.</p>"


def _request_html(request: HttpRequest, mask: SecretMasker) -> str:
    query = [
        (key, MASK if SECRET_NAMES.search(key) else mask(value))
        for key, value in request.GET.multi_items()
    ]
    headers = [
        (key, MASK if SECRET_NAMES.search(key) else mask(value))
        for key, value in request.headers.items()
    ]
    return (
        "<section><h2>Request information</h2><h3>GET</h3>"
        + (_table(query) if query else "<p>No GET data.</p>")
        + "<h3>Headers</h3>"
        + _table(headers)
        + "</section>"
    )


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th>{escape(key)}</th><td><code>{escape(value)}</code></td></tr>"
        for key, value in rows
    )
    return f"<table>{cells}</table>"


def _footer(status_code: int) -> str:
    return (
        "<footer>You're seeing this error because you have <code>DEBUG = True</code> in your"
        " Djanco settings. Change that to <code>False</code>, and Djanco will display a standard"
        f" page generated by the handler for this status code ({status_code}).</footer>"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="robots" content="NONE,NOARCHIVE">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
