"""Errors, global options, check/shell/test details and commands contributed by apps."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.cli.conftest import assert_one_line_error
from tests.cli.conftest import djanco as run


def _set(project: Path, old: str, new: str) -> None:
    settings = project / "mysite" / "settings.py"
    text = settings.read_text()
    assert old in text
    settings.write_text(text.replace(old, new))


def test_no_project_is_one_clear_error(tmp_path: Path) -> None:
    assert_one_line_error(run("check", cwd=tmp_path), "Settings are not configured")


def test_settings_option_and_traceback(tmp_path: Path, mysite: Path) -> None:
    plain = run("--settings", "nosuch.settings", "check", cwd=tmp_path)
    assert_one_line_error(plain, "nosuch")
    with_traceback = run("--traceback", "--settings", "nosuch.settings", "check", cwd=tmp_path)
    assert with_traceback.returncode == 1
    assert "Traceback (most recent call last)" in with_traceback.stderr
    assert with_traceback.stderr.rstrip().splitlines()[-1].startswith("Error: ")
    # As in Django, the global options may also follow the command name.
    after = run("check", "--traceback", "--settings=nosuch.settings", cwd=tmp_path)
    assert "Traceback (most recent call last)" in after.stderr


def test_settings_option_names_a_project_without_pyproject(mysite: Path, tmp_path: Path) -> None:
    project = tmp_path / "bare"
    project.mkdir()
    (project / "bare_settings.py").write_text(
        (mysite / "mysite" / "settings.py").read_text().replace("mysite.urls", "bare_urls")
    )
    (project / "bare_urls.py").write_text("urlpatterns: list[object] = []\n")
    result = run("check", "--settings", "bare_settings", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert run("routes", "--settings=bare_settings", cwd=project).stdout == "No URL patterns.\n"


def test_djanco_test_runs_without_a_project(tmp_path: Path) -> None:
    (tmp_path / "test_math.py").write_text("def test_add() -> None:\n    assert 1 + 1 == 2\n")
    result = run("test", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_mistyped_setting_is_named_with_a_suggestion(fresh_project: Path) -> None:
    _set(fresh_project, "DEBUG = True", "DEBGU = True")
    assert_one_line_error(
        run("check", cwd=fresh_project), "'DEBGU'", "mysite.settings", "Did you mean 'DEBUG'?"
    )


def test_misspelt_environment_variable_is_one_warning_line(mysite: Path) -> None:
    result = run("check", cwd=mysite, env={"DJANCO_ALOWED_HOSTS": "example.com"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "Warning: Ignoring environment variable DJANCO_ALOWED_HOSTS: there is no setting "
        "'ALOWED_HOSTS'. Did you mean DJANCO_ALLOWED_HOSTS?"
    ]


def test_check_errors_exit_1_and_are_listed_with_ids(fresh_project: Path) -> None:
    _set(fresh_project, 'ROOT_URLCONF = "mysite.urls"', 'ROOT_URLCONF = "mysite.nourls"')
    result = run("check", cwd=fresh_project)
    assert_one_line_error(result, "System check identified 1 error")
    assert "ERRORS:" in result.stdout
    assert "(urls.E" in result.stdout
    assert "System check identified 1 issue (0 silenced)." in result.stdout


def test_check_deploy_warns_about_development_settings(mysite: Path) -> None:
    result = run("check", "--deploy", cwd=mysite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS:" in result.stdout
    assert "(security.W" in result.stdout


def test_check_silenced_messages_are_counted(fresh_project: Path) -> None:
    deploy = run("check", "--deploy", cwd=fresh_project).stdout
    ids = sorted(
        {line.split("(", 1)[1].split(")", 1)[0] for line in deploy.splitlines() if ": (" in line}
    )
    assert ids
    _set(
        fresh_project,
        'STATIC_URL = "/static/"',
        f'STATIC_URL = "/static/"\nSILENCED_SYSTEM_CHECKS = {ids!r}',
    )
    result = run("check", "--deploy", cwd=fresh_project)
    assert result.returncode == 0
    assert result.stdout.endswith(f"System check identified no issues ({len(ids)} silenced).\n")


def test_check_unknown_tag(mysite: Path) -> None:
    assert_one_line_error(run("check", "--tag", "nosuchtag", cwd=mysite), "'nosuchtag'")


def test_check_fail_level_and_list_tags(mysite: Path) -> None:
    # Django's `check --fail-level WARNING` gates CI on warnings too; --list-tags lists tags.
    warned = run("check", "--deploy", "--fail-level", "WARNING", cwd=mysite)
    assert_one_line_error(warned, "System check identified")
    assert "(security.W018)" in warned.stdout
    assert run("check", "--fail-level", "WARNING", cwd=mysite).returncode == 0
    assert_one_line_error(run("check", "--fail-level", "LOUD", cwd=mysite), "--fail-level")
    tags = run("check", "--list-tags", cwd=mysite)
    assert (tags.returncode, tags.stdout) == (
        0,
        "apps\ndatabase\nmiddleware\nmodels\nstaticfiles\ntemplates\ntyping\nurls\n",
    )
    assert "security" in run("check", "--list-tags", "--deploy", cwd=mysite).stdout.split()


def test_check_named_apps(fresh_project: Path) -> None:
    assert run("startapp", "blog", cwd=fresh_project).returncode == 0
    _set(
        fresh_project,
        'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
        'INSTALLED_APPS = ["blog"]',
    )
    result = run("check", "blog", cwd=fresh_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_one_line_error(run("check", "nosuchapp", cwd=fresh_project), "'nosuchapp'", "blog")


def test_shell_command_runs_with_settings_loaded(mysite: Path) -> None:
    result = run("shell", "-c", "print(settings.ROOT_URLCONF, apps.ready)", cwd=mysite)
    assert (result.returncode, result.stdout) == (
        0,
        "2 objects imported automatically (use -v 2 for details).\n\nmysite.urls True\n",
    ), result.stderr


def test_shell_runs_piped_code_without_prompts(mysite: Path) -> None:
    # Django's shell executes what is piped into it: the output has no ">>>" prompts.
    code = "from djanco.urls import reverse\nprint(settings.DEBUG, reverse('home'))\n"
    result = run("shell", "-v", "0", cwd=mysite, stdin=code)
    assert (result.returncode, result.stdout) == (0, "True /\n"), result.stderr
    failing = run("shell", cwd=mysite, stdin="raise ValueError('piped failure')\n")
    assert_one_line_error(failing, "ValueError: piped failure")


def test_unknown_command(mysite: Path) -> None:
    result = run("nosuchcommand", cwd=mysite)
    assert result.returncode == 2
    assert "No such command 'nosuchcommand'" in result.stderr
    assert "Did you mean 'check'?" in run("chekc", cwd=mysite).stderr


def test_app_commands(fresh_project: Path) -> None:
    commands = fresh_project / "tools" / "commands"
    commands.mkdir(parents=True)
    (fresh_project / "tools" / "__init__.py").write_text('"""Tools."""\n')
    (commands / "greet.py").write_text(
        textwrap.dedent(
            '''
            """Greets."""

            import typer

            from djanco.conf import settings


            def command(name: str = "world", shout: bool = False) -> None:
                """Say hello."""
                text = f"Hello, {name} from {settings.ROOT_URLCONF}"
                typer.echo(text.upper() if shout else text)
            '''
        )
    )
    (commands / "later.py").write_text(
        "async def command(times: int = 1) -> None:\n    print('later' * times)\n"
    )
    (commands / "broken.py").write_text("import nosuchmodule_xyz\n")
    (commands / "_helper.py").write_text("def command() -> None: ...\n")
    _set(
        fresh_project,
        'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
        'INSTALLED_APPS = ["tools"]',
    )

    greet = run("greet", "--name", "Ada", "--shout", cwd=fresh_project)
    assert (greet.returncode, greet.stdout) == (0, "HELLO, ADA FROM MYSITE.URLS\n"), greet.stderr
    later = run("later", "--times", "2", cwd=fresh_project)
    assert (later.returncode, later.stdout) == (0, "laterlater\n"), later.stderr
    assert_one_line_error(
        run("broken", cwd=fresh_project), "broken.py", "No module named 'nosuchmodule_xyz'"
    )
    listing = run("--help", cwd=fresh_project).stdout
    assert "greet" in listing
    assert "Say hello." in listing
    assert "_helper" not in listing
    assert run("_helper", cwd=fresh_project).returncode == 2
    assert "Did you mean 'greet'?" in run("gret", cwd=fresh_project).stderr
