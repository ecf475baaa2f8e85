"""``djanco startapp``: the app's layout, and that it works once installed and routed."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.cli.conftest import assert_one_line_error
from tests.cli.conftest import djanco as run

APP_FILES = [
    "__init__.py",
    "apps.py",
    "migrations/__init__.py",
    "models.py",
    "templates/my_blog/index.html",
    "tests.py",
    "urls.py",
    "views.py",
]


def _install(project: Path, app: str) -> None:
    settings = project / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
            f'INSTALLED_APPS: list[str] = ["{app}"]',
        )
    )
    urls = project / "mysite" / "urls.py"
    urls.write_text(
        urls.read_text()
        .replace("from djanco.urls import path", "from djanco.urls import include, path")
        .replace(
            'path("", views.home, name="home"),',
            f'path("", views.home, name="home"),\n    path("{app}/", include("{app}.urls")),',
        )
    )


def test_layout(fresh_project: Path) -> None:
    result = run("startapp", "my_blog", cwd=fresh_project)
    assert result.returncode == 0, result.stderr
    app = fresh_project / "my_blog"
    assert sorted(str(p.relative_to(app)) for p in app.rglob("*") if p.is_file()) == APP_FILES
    assert "class MyBlogConfig(AppConfig):" in (app / "apps.py").read_text()
    assert 'app_name = "my_blog"' in (app / "urls.py").read_text()
    assert 'add "my_blog" to INSTALLED_APPS' in result.stdout


def test_installed_app_is_checked_routed_and_tested(fresh_project: Path) -> None:
    assert run("startapp", "my_blog", cwd=fresh_project).returncode == 0
    _install(fresh_project, "my_blog")
    (fresh_project / "tests" / "test_my_blog.py").write_text(
        textwrap.dedent(
            '''
            """The my_blog app's page is served from its own templates folder."""

            from djanco.test import Client
            from djanco.urls import reverse


            def test_index(client: Client) -> None:
                assert reverse("my_blog:index") == "/my_blog/"
                response = client.get("/my_blog/")
                assert response.status_code == 200
                assert "<h1>my_blog</h1>" in response.text
            '''
        ).lstrip()
    )
    check = run("check", cwd=fresh_project)
    assert check.returncode == 0, check.stdout + check.stderr
    routes = run("routes", cwd=fresh_project)
    assert "my_blog:index" in routes.stdout
    assert "my_blog.views.index" in routes.stdout
    tests = run("test", "-q", cwd=fresh_project)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout  # home (2), the app's own tests.py, test_my_blog


def test_into_a_given_directory(fresh_project: Path) -> None:
    result = run("startapp", "shop", "apps/shop", cwd=fresh_project)
    assert result.returncode == 0, result.stderr
    assert (fresh_project / "apps" / "shop" / "apps.py").is_file()


def test_bad_and_clashing_names(fresh_project: Path) -> None:
    assert_one_line_error(
        run("startapp", "my-app", cwd=fresh_project), "'my-app' is not a valid app name."
    )
    assert_one_line_error(
        run("startapp", "os", cwd=fresh_project),
        "'os' conflicts with the name of an existing Python module",
    )
    assert run("startapp", "blog", cwd=fresh_project).returncode == 0
    assert_one_line_error(run("startapp", "blog", cwd=fresh_project), "already exists")
