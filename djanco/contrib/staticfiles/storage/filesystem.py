"""StaticFilesStorage: files in STATIC_ROOT, served under STATIC_URL, names unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

from djanco.conf import settings
from djanco.contrib.staticfiles.paths import safe_join
from djanco.contrib.staticfiles.storage.base import PostProcessed
from djanco.core.exceptions import ImproperlyConfigured, SuspiciousOperation

__all__ = ["StaticFilesStorage"]

# What stays unquoted in a file's URL besides letters and digits (Django's filepath_to_uri).
_SAFE = "/~!*()'"


class StaticFilesStorage:
    """Django's default static files storage: ``url("css/site.css")`` is
    ``STATIC_URL + "css/site.css"``; collected files keep their names."""

    def __init__(self, location: Path | str | None = None, base_url: str | None = None) -> None:
        root = settings.STATIC_ROOT if location is None else location
        self._location = Path(root) if root is not None else None
        self.base_url = settings.STATIC_URL if base_url is None else base_url

    @property
    def location(self) -> Path | None:
        return self._location

    def path(self, name: str) -> Path:
        if self._location is None:
            raise ImproperlyConfigured(
                "You're using the staticfiles app without having set the STATIC_ROOT setting "
                "to a filesystem path."
            )
        path = safe_join(self._location, name)
        if path is None:
            raise SuspiciousOperation(f"The static path {name!r} is outside STATIC_ROOT.")
        return path

    def url(self, name: str) -> str:
        return self.base_url + quote(name.lstrip("/"), safe=_SAFE)

    def post_process(
        self, collected: Mapping[str, Path], *, dry_run: bool = False
    ) -> Iterator[PostProcessed]:
        """Nothing to do: files are served by the names they were collected under."""
        return iter(())
