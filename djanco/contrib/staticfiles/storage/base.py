"""What the ``"staticfiles"`` storage does: where collected files go, what URL each gets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

__all__ = ["PostProcessed", "Storage"]


class PostProcessed(NamedTuple):
    """One file after post-processing (content-hashed copy, rewritten references)."""

    name: str
    """The collected path, e.g. ``"css/site.css"``."""
    stored_name: str
    """The name it is served by now, e.g. ``"css/site.4ab1ef3c2d10.css"``."""
    processed: bool
    """Whether a file was written for it (False: an identical one was there already)."""


@runtime_checkable
class Storage(Protocol):
    """The storage of STORAGES["staticfiles"], on the local filesystem."""

    @property
    def location(self) -> Path | None:
        """The directory collected files go to (STATIC_ROOT by default), if set."""
        ...

    def path(self, name: str) -> Path:
        """The file ``name`` would be at; ImproperlyConfigured without a location."""
        ...

    def url(self, name: str) -> str:
        """The URL of the static file ``name``: what ``{{ static(name) }}`` gives."""
        ...

    def post_process(
        self, collected: Mapping[str, Path], *, dry_run: bool = False
    ) -> Iterator[PostProcessed]:
        """Called by ``collectstatic`` once ``collected`` (path → source file) are copied;
        raises to stop it, naming the file that failed."""
        ...
