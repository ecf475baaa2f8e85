"""The ``static()`` template global with the app installed: the storage's URL for a file, so
a manifest storage gives the content-hashed name."""

from __future__ import annotations

from djanco.contrib.staticfiles.storage import staticfiles_storage

__all__ = ["static"]


def static(path: str) -> str:
    """``{{ static("css/site.css") }}``: ``/static/css/site.css``, or with
    ManifestStaticFilesStorage (and DEBUG off) ``/static/css/site.4ab1ef3c2d10.css``."""
    return staticfiles_storage().url(path)
