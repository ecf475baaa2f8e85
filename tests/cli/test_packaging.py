"""Djanco installed from a wheel into a fresh environment, without extras: the scaffold and its
templates ship, and the test tools are an extra that `djanco test` names when missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli.conftest import assert_one_line_error, clean_env

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=600
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_wheel_install_runs_a_site_and_asks_for_the_test_extra(tmp_path: Path) -> None:
    _ok(_run(sys.executable, "-m", "venv", str(tmp_path / "venv"), cwd=tmp_path))
    bin_dir = tmp_path / "venv" / "bin"
    _ok(_run(str(bin_dir / "pip"), "install", "-q", str(REPOSITORY), cwd=tmp_path))
    for absent in ["pytest", "pytest_asyncio", "httpx"]:
        assert _run(str(bin_dir / "python"), "-c", f"import {absent}", cwd=tmp_path).returncode

    _ok(_run(str(bin_dir / "djanco"), "startproject", "mysite", cwd=tmp_path))
    site = tmp_path / "mysite"
    assert "System check identified no issues" in _ok(
        _run(str(bin_dir / "djanco"), "check", cwd=site)
    )
    installed = Path(
        _ok(
            _run(str(bin_dir / "python"), "-c", "import djanco; print(djanco.__file__)", cwd=site)
        ).strip()
    ).parent
    assert (installed / "py.typed").is_file()
    assert not installed.is_relative_to(REPOSITORY)

    assert_one_line_error(
        _run(str(bin_dir / "djanco"), "test", cwd=site),
        "pytest, pytest-asyncio, httpx are not installed",
        "pip install 'djanco[test]'",
    )

    # With pytest alone the plugin loads: its sync fixtures work without pytest-asyncio.
    _ok(_run(str(bin_dir / "pip"), "install", "-q", "pytest", cwd=tmp_path))
    (site / "tests" / "test_settings.py").write_text(
        textwrap.dedent(
            """
            from djanco.conf import Settings


            def test_settings_fixture(settings: Settings) -> None:
                settings.DEBUG = False
                assert not settings.DEBUG
            """
        )
    )
    ran = _run(str(bin_dir / "python"), "-m", "pytest", "-q", "tests/test_settings.py", cwd=site)
    assert "1 passed" in _ok(ran)
