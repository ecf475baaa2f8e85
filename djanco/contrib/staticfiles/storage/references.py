"""References from one static file to others (CSS ``url()`` and ``@import``, source map
comments), found and rewritten to the names the referenced files are stored under."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from djanco.conf import settings

__all__ = ["Reference", "find_references", "has_references", "rewrite", "split_url"]

_CSS = (
    re.compile(r"""url\(\s*(?P<quote>['"])(?P<url>.*?)(?P=quote)\s*\)""", re.IGNORECASE),
    re.compile(r"""url\(\s*(?P<url>[^'"\s)][^)]*?)\s*\)""", re.IGNORECASE),
    re.compile(r"""@import\s*(?P<quote>['"])(?P<url>.*?)(?P=quote)""", re.IGNORECASE),
    re.compile(r"""^/\*#[ \t]sourceMappingURL=(?P<url>.*?)[ \t]*\*/[ \t]*$""", re.MULTILINE),
)
_JS = (re.compile(r"""^//# sourceMappingURL=(?P<url>\S*)[ \t]*$""", re.MULTILINE),)
_PATTERNS = {".css": _CSS, ".js": _JS}
# A URL with a scheme (data:, https:) points elsewhere; so does a protocol-relative one.
_ELSEWHERE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reference:
    """A URL written in a file that names another collected static file."""

    start: int
    end: int
    """Where the URL text is in the file."""
    url: str
    """The URL as written, e.g. ``"../img/logo.png?v=2#top"``."""
    target: str
    """The collected name it resolves to, e.g. ``"img/logo.png"``."""
    path: str
    """The part of ``url`` before its query or fragment."""


def has_references(name: str) -> bool:
    """Whether files named like ``name`` are read for references (CSS and JavaScript)."""
    return posixpath.splitext(name)[1].lower() in _PATTERNS


def find_references(name: str, text: str) -> list[Reference]:
    """The references in ``text``, the content of the collected file ``name``, in order.

    URLs with a scheme, protocol-relative ones, bare fragments and absolute paths outside
    STATIC_URL are not references to static files and are left out.
    """
    found: list[Reference] = []
    for pattern in _PATTERNS.get(posixpath.splitext(name)[1].lower(), ()):
        for match in pattern.finditer(text):
            reference = _reference(name, match)
            if reference is not None:
                found.append(reference)
    found.sort(key=lambda reference: reference.start)
    # Patterns may overlap (a url() inside an @import); the first in the file wins.
    kept: list[Reference] = []
    for reference in found:
        if not kept or reference.start >= kept[-1].end:
            kept.append(reference)
    return kept


def split_url(url: str) -> tuple[str, str]:
    """``"font.woff?v=1#x"`` → ``("font.woff", "?v=1#x")``: the path, and the rest."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return path, url[len(path) :]


def _reference(name: str, match: re.Match[str]) -> Reference | None:
    url = match["url"]
    path = split_url(url)[0]
    if not path or _ELSEWHERE.match(url):
        return None
    static_url = settings.STATIC_URL
    if path.startswith("/"):
        if not static_url.startswith("/") or not path.startswith(static_url):
            return None
        target = path.removeprefix(static_url)
    else:
        target = posixpath.join(posixpath.dirname(name), path)
    target = posixpath.normpath(unquote(target))
    if target.startswith("../") or target == "..":
        return None  # above STATIC_ROOT: not a collected file
    return Reference(match.start("url"), match.end("url"), url, target, path)


def rewrite(text: str, references: list[Reference], stored_name: Callable[[str], str]) -> str:
    """``text`` with each reference's file name replaced by the one its target is stored
    under; the directories, query and fragment as written are kept."""
    pieces: list[str] = []
    position = 0
    for reference in references:
        stored_file = stored_name(reference.target).rpartition("/")[2]
        directory = reference.path.rpartition("/")[0]
        new_path = f"{directory}/{stored_file}" if "/" in reference.path else stored_file
        pieces += [
            text[position : reference.start],
            new_path + reference.url[len(reference.path) :],
        ]
        position = reference.end
    pieces.append(text[position:])
    return "".join(pieces)
