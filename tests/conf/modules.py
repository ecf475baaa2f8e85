"""Writes throwaway Python packages for tests and forgets them (sys.path, sys.modules) after."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path


class ModuleWriter:
    """Files written under ``root``, which is importable while the test runs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str = "") -> Path:
        """Write ``relative`` (creating ``__init__.py`` in new package folders) and return it."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(self.root).parents:
            init = self.root / folder / "__init__.py"
            if folder != Path(".") and not init.exists():
                init.write_text("")
        path.write_text(textwrap.dedent(text))
        importlib.invalidate_caches()
        return path

    def settings(self, name: str, text: str) -> str:
        """Write settings module ``name`` (dotted) and return its dotted path."""
        self.write(name.replace(".", "/") + ".py", text)
        return name


def forget_modules_under(root: Path, before: set[str]) -> None:
    """Drop modules imported from ``root`` since ``before`` so the next test imports afresh."""
    for name in set(sys.modules) - before:
        filename = getattr(sys.modules[name], "__file__", None) or ""
        if filename.startswith(str(root)):
            del sys.modules[name]
