"""``djanco startproject``, then the commands a new user runs in the new project."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import djanco
from tests.cli.conftest import assert_one_line_error, clean_env, startproject
from tests.cli.conftest import djanco as run

NEW_PROJECT_CHECK = Path(__file__).resolve().parents[2] / ".ci" / "check-new-project"
PROJECT_FILES = [
    ".gitignore",
    "README.md",
    "mysite/__init__.py",
    "mysite/asgi.py",
    "mysite/settings.py",
    "mysite/urls.py",
    "mysite/views.py",
    "pyproject.toml",
    "static/css/site.css",
    "templates/home.html",
    "tests/__init__.py",
    "tests/test_home.py",
]


def _files(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        # db.sqlite3 appears once a command (djanco check's migration check) opens the database
        if path.is_file() and "cache" not in str(path) and path.name != "db.sqlite3"
    )


def test_layout_and_settings(mysite: Path) -> None:
    assert _files(mysite) == PROJECT_FILES
    pyproject = tomllib.loads((mysite / "pyproject.toml").read_text())
    assert pyproject["tool"]["djanco"] == {"settings": "mysite.settings"}
    assert pyproject["tool"]["pytest"]["ini_options"]["pythonpath"] == ["."]
    assert pyproject["tool"]["mypy"]["strict"] is True
    settings = (mysite / "mysite" / "settings.py").read_text()
    assert 'SECRET_KEY = "djanco-insecure-' in settings
    assert 'ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]' in settings


def test_each_project_gets_its_own_secret_key(tmp_path: Path, mysite: Path) -> None:
    other = startproject(tmp_path)
    key_line = next(
        line
        for line in (other / "mysite" / "settings.py").read_text().splitlines()
        if line.startswith("SECRET_KEY")
    )
    assert key_line not in (mysite / "mysite" / "settings.py").read_text()


def test_check_reports_no_issues(mysite: Path) -> None:
    result = run("check", cwd=mysite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_works_from_a_subdirectory(mysite: Path) -> None:
    result = run("check", cwd=mysite / "templates")
    assert result.returncode == 0, result.stdout + result.stderr


def test_routes_lists_the_patterns(mysite: Path) -> None:
    result = run("routes", cwd=mysite)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "mysite.views.home" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        "/",
        "home",
        "mysite.views.home",
    ]


def test_generated_tests_pass_with_djanco_test(mysite: Path) -> None:
    result = run("test", "-q", cwd=mysite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_djanco_test_passes_arguments_to_pytest(mysite: Path) -> None:
    result = run("test", "-q", "-k", "unknown_url", cwd=mysite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 1 deselected" in result.stdout


def test_djanco_test_from_a_subdirectory_runs_in_the_project(fresh_project: Path) -> None:
    # The docs: pytest runs "in the project directory", so the whole suite is found (here
    # the app's tests.py too), and paths are still taken relative to where the user stands.
    assert run("startapp", "blog", cwd=fresh_project).returncode == 0
    everything = run("test", "-q", "-p", "no:cacheprovider", cwd=fresh_project / "tests")
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert "3 passed" in everything.stdout
    one = run(
        "test",
        "-q",
        "-p",
        "no:cacheprovider",
        "test_home.py::test_home_page",
        cwd=fresh_project / "tests",
    )
    assert one.returncode == 0, one.stdout + one.stderr
    assert "1 passed" in one.stdout


def test_generated_code_passes_the_checkers_unchanged(tmp_path: Path) -> None:
    # The project, an app, a model of every field kind and relation and its migration pass
    # mypy --strict, pyright strict and ruff, with Djanco installed as the README says (a
    # plain editable install), exactly as CI checks it.
    result = subprocess.run(
        [str(NEW_PROJECT_CHECK), str(Path(sys.executable).parent), str(tmp_path)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 15 source files" in result.stdout
    assert "0 errors, 0 warnings, 0 informations" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = run("version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"{djanco.__version__}\n")


def test_into_a_given_directory(tmp_path: Path) -> None:
    result = run("startproject", "mysite", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "mysite" / "settings.py").is_file()
    assert run("check", cwd=tmp_path / "site").returncode == 0


def test_into_the_current_directory(tmp_path: Path) -> None:
    result = run("startproject", "mysite", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mysite" / "settings.py").is_file()
    assert "cd ." not in result.stdout  # the next step is not to change into "."
    assert "djanco check" in result.stdout
    assert run("check", cwd=tmp_path).returncode == 0


def test_refuses_to_overwrite_files(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "README.md").write_text("mine")
    result = run("startproject", "mysite", "site", cwd=tmp_path)
    assert_one_line_error(result, "README.md already exists; refusing to overwrite it.")
    assert (tmp_path / "site" / "README.md").read_text() == "mine"
    assert not (tmp_path / "site" / "mysite").exists()


def test_refuses_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / "mysite").mkdir()
    result = run("startproject", "mysite", cwd=tmp_path)
    assert_one_line_error(result, f"'{tmp_path / 'mysite'}' already exists.")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my-site", "'my-site' is not a valid project name."),
        ("2fast", "'2fast' is not a valid project name."),
        ("class", "'class' is not a valid project name."),
        ("json", "'json' conflicts with the name of an existing Python module"),
        ("djanco", "'djanco' conflicts with the name of an existing Python module"),
    ],
)
def test_bad_names_are_refused(tmp_path: Path, name: str, message: str) -> None:
    assert_one_line_error(run("startproject", name, cwd=tmp_path), message)
    assert list(tmp_path.iterdir()) == []
