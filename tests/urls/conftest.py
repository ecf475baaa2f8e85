"""Fixtures for the URL tests: throwaway URLconf modules importable by dotted name."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType

import pytest

from djanco.urls import URLEntry, clear_url_caches

MakeURLconf = Callable[..., str]


@pytest.fixture
def make_urlconf() -> Iterator[MakeURLconf]:
    """``make_urlconf(urlpatterns, **module_attrs)`` -> the dotted name of a new module."""
    names: list[str] = []

    def make(patterns: Sequence[URLEntry], **attrs: object) -> str:
        name = f"urlconf_{uuid.uuid4().hex}"
        module = ModuleType(name)
        module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
        for key, value in attrs.items():
            setattr(module, key, value)
        sys.modules[name] = module
        names.append(name)
        return name

    yield make
    for name in names:
        sys.modules.pop(name, None)
    clear_url_caches()
