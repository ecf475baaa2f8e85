"""examples/mysite is exactly what ``djanco startproject mysite`` makes (keys aside), even after
it has run: files its own .gitignore names (the SQLite database, caches) are not compared."""

from __future__ import annotations

import re
import shutil
from fnmatch import fnmatch
from pathlib import Path

from tests.cli.conftest import djanco, startproject

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mysite"
_KEY = re.compile(r'^SECRET_KEY = ".*"$', re.MULTILINE)


def _tree(root: Path) -> dict[str, str]:
    ignored = [
        line.strip().rstrip("/")
        for line in (root / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return {
        str(path.relative_to(root)): _KEY.sub('SECRET_KEY = "…"', path.read_text())
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not any(
            fnmatch(part, pattern) for part in path.relative_to(root).parts for pattern in ignored
        )
    }


def test_example_matches_the_scaffold(tmp_path: Path) -> None:
    assert _tree(EXAMPLE) == _tree(startproject(tmp_path))


def test_a_run_example_still_matches(tmp_path: Path) -> None:
    # Running the example (as the README's first command does) leaves db.sqlite3 behind.
    ran = tmp_path / "ran"
    shutil.copytree(EXAMPLE, ran)
    result = djanco("check", cwd=ran)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ran / "db.sqlite3").exists()
    assert _tree(ran) == _tree(startproject(tmp_path))
