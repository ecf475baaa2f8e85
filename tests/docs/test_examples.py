"""The runnable examples of the topic guides (python blocks after ``<!-- example -->``) run
as scripts against the test settings; each ``print(...)  # expected`` line prints what its
comment says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
GUIDES = ["docs/sessions-and-cache.md", "docs/mail.md"]
_EXAMPLE = re.compile(r"<!-- example -->\n```python\n(.*?)\n```", re.DOTALL)
_EXPECTED = re.compile(r"^\s*print\(.*\)\s+# (.*)$")


def _examples(guide: str) -> list[str]:
    return _EXAMPLE.findall((REPOSITORY / guide).read_text())


@pytest.mark.parametrize("guide", GUIDES)
def test_the_guides_examples_run_and_print_what_they_say(guide: str, tmp_path: Path) -> None:
    examples = _examples(guide)
    assert examples, f"{guide} has no <!-- example --> block"
    for number, code in enumerate(examples):
        script = tmp_path / f"example_{number}.py"
        script.write_text(code)
        env = {**os.environ, "DJANCO_SETTINGS": "tests.settings", "PYTHONPATH": str(REPOSITORY)}
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=REPOSITORY,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        expected = [m.group(1) for line in code.splitlines() if (m := _EXPECTED.match(line))]
        assert result.stdout.splitlines() == expected
