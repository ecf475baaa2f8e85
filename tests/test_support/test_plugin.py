"""The pytest plugin, exercised the way a project uses it: a pytest run in its own directory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_SETTINGS = """
SECRET_KEY = "plugin-test-key-not-a-dev-key"
DEBUG = True
ALLOWED_HOSTS = ["localhost"]
ROOT_URLCONF = "proj_urls"
MIDDLEWARE = [
    "djanco.middleware.security.SecurityMiddleware",
    "djanco.middleware.common.CommonMiddleware",
]
"""
_URLS = """
from djanco.http import HttpResponse
from djanco.urls import path

def home(request):
    return HttpResponse("home")

def other(request):
    return HttpResponse("other")

urlpatterns = [path("", home)]
other_urlpatterns = [path("other/", other)]
"""
_OTHER_URLS = """
from proj_urls import other_urlpatterns as urlpatterns
"""
_TESTS = """
def test_a_changes_settings(settings, client):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS.append("example.com")
    settings.TEMPLATES.DIRS = ["/nowhere"]
    settings.ROOT_URLCONF = "other_urls"
    assert client.get("/other/").text == "other"

def test_b_sees_the_original_settings(settings, client):
    assert settings.DEBUG is True
    assert "example.com" not in settings.ALLOWED_HOSTS
    assert settings.TEMPLATES.DIRS == []
    assert settings.ROOT_URLCONF == "proj_urls"
    assert client.get("/other/").status_code == 404
    assert client.get("/").text == "home"

def test_c_testserver_is_allowed_but_other_hosts_are_not(settings, client):
    assert "testserver" in settings.ALLOWED_HOSTS
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400

async def test_d_async_client(async_client):
    assert (await async_client.get("/")).text == "home"
"""


def _pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANCO_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.djanco]
                settings = "proj_settings"

                [tool.pytest.ini_options]
                pythonpath = ["."]
                asyncio_mode = "auto"
                asyncio_default_fixture_loop_scope = "function"
            """,
            "proj_settings.py": _SETTINGS,
            "proj_urls.py": _URLS,
            "other_urls.py": _OTHER_URLS,
            "test_fixtures.py": _TESTS,
        },
    )
    return tmp_path


def test_fixtures_in_a_project_and_settings_changes_are_undone(project: Path) -> None:
    result = _pytest(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_pytest_without_djanco_settings_is_unaffected(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "test_plain.py": """
                def test_plain():
                    assert 1 + 1 == 2

                def test_needs_client(client):
                    pass
            """
        },
    )
    result = _pytest(tmp_path)
    assert "1 passed, 1 error" in result.stdout, result.stdout + result.stderr
    assert "No Djanco settings found for this test" in result.stdout


def test_apps_are_ready_for_tests_without_fixtures(project: Path) -> None:
    # As with pytest-django: test modules may use the app registry (models, reverse) at
    # import time and in tests that take no Djanco fixture.
    _write(
        project,
        {
            "blogapp/__init__.py": "",
            "blogapp/apps.py": """
                from djanco.apps import AppConfig

                class BlogConfig(AppConfig):
                    name = "blogapp"
                    label = "blog"
            """,
            "proj_settings.py": _SETTINGS + 'INSTALLED_APPS = ["blogapp"]\n',
            "test_registry.py": """
                from djanco.apps import apps

                BLOG = apps.get_app_config("blog")  # at import, during collection

                def test_registry_without_fixtures():
                    assert apps.ready
                    assert apps.is_installed("blogapp")
                    assert BLOG.name == "blogapp"
            """,
        },
    )
    result = _pytest(project, "test_registry.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_broken_settings_stop_the_run_with_one_message(project: Path) -> None:
    _write(project, {"proj_settings.py": _SETTINGS + "ALLOWED_HOST = []\n"})
    result = _pytest(project)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Unknown setting 'ALLOWED_HOST'" in result.stderr
    assert "Did you mean 'ALLOWED_HOSTS'?" in result.stderr
    assert "INTERNALERROR" not in result.stdout + result.stderr
