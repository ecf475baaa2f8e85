"""Fixtures for settings tests: throwaway modules, and the live settings put back afterwards."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.conf import lazy
from tests.conf.modules import ModuleWriter, forget_modules_under


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleWriter]:
    before = set(sys.modules)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield ModuleWriter(tmp_path)
    forget_modules_under(tmp_path, before)


@pytest.fixture(autouse=True)
def _restore_settings() -> Iterator[None]:
    previous = lazy._current
    yield
    lazy._replace(previous)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No DJANCO_* variables at all (not even DJANCO_SETTINGS) while the test runs."""
    for name in list(os.environ):
        if name.startswith("DJANCO_"):
            monkeypatch.delenv(name)
    return monkeypatch
