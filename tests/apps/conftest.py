"""Fixtures for app registry tests: throwaway app packages and a clean global state after."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.apps import apps
from djanco.conf import lazy
from tests.conf.modules import ModuleWriter, forget_modules_under


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleWriter]:
    before = set(sys.modules)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield ModuleWriter(tmp_path)
    forget_modules_under(tmp_path, before)


@pytest.fixture(autouse=True)
def _restore_global_state() -> Iterator[None]:
    """Tests may configure settings and populate ``apps``; put both back as they were."""
    previous_settings = lazy._current
    was_ready, installed = apps.ready, list(apps.installed)
    yield
    lazy._replace(previous_settings)
    apps.reset()
    if was_ready:
        apps.populate(installed)
