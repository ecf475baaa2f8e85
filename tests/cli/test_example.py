"""examples/mysite is exactly what ``djanco startproject mysite`` makes (keys aside)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.conftest import startproject

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mysite"
_KEY = re.compile(r'^SECRET_KEY = ".*"$', re.MULTILINE)


def _tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): _KEY.sub('SECRET_KEY = "…"', path.read_text())
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any("cache" in part for part in path.parts)
    }


def test_example_matches_the_scaffold(tmp_path: Path) -> None:
    assert _tree(EXAMPLE) == _tree(startproject(tmp_path))
