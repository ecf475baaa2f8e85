"""``collectstatic`` and ``findstatic`` as Django's: what they copy, print and ask."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from djanco.contrib.staticfiles.commands import collectstatic, findstatic
from djanco.core.exceptions import ImproperlyConfigured
from tests.contrib.staticfiles.conftest import DOWNLOADS, HERE, MANIFEST_STORAGE, Project
from tests.http.factory import override_settings

COLLECTED = [
    "app_one/app.js",
    "app_two/style.css",
    "css/site.css",
    "downloads/report.txt",
    "img/logo.png",
    "shared.txt",
]


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_collect_copies_every_found_file_once(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    collectstatic.command(noinput=True)

    assert files(project.static_root) == COLLECTED
    assert (project.static_root / "shared.txt").read_text() == "from app_one\n"
    assert capsys.readouterr().out == (
        f"\n6 static files copied to '{project.static_root}', 1 skipped due to conflict.\n"
    )


def test_a_second_run_copies_only_what_changed(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    collectstatic.command(noinput=True, verbosity=0)
    stale = project.static_root / "img" / "logo.png"
    os.utime(stale, (0, 0))
    collectstatic.command(noinput=True)

    assert capsys.readouterr().out == (
        f"\n1 static file copied to '{project.static_root}', 5 unmodified, "
        "1 skipped due to conflict.\n"
    )


def test_clear_deletes_what_was_there_first(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.static_root / "old" / "deep").mkdir(parents=True)
    (project.static_root / "old" / "deep" / "gone.css").write_text("x")
    collectstatic.command(noinput=True, clear=True, verbosity=2)

    output = capsys.readouterr().out
    assert files(project.static_root) == COLLECTED
    assert not (project.static_root / "old").exists()
    assert "Deleting 'old/deep/gone.css'" in output
    assert f"Copying '{HERE / 'project_static' / 'css' / 'site.css'}'" in output
    assert "Found another file with the destination path 'shared.txt'." in output
    assert output.endswith(
        f"\n1 static file deleted, 6 static files copied to '{project.static_root}', "
        "1 skipped due to conflict.\n"
    )


def test_dry_run_changes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    collectstatic.command(noinput=True, dry_run=True)

    assert not project.static_root.exists()
    output = capsys.readouterr().out
    assert f"Pretending to copy '{DOWNLOADS / 'report.txt'}'" in output
    assert "6 static files copied" in output


def test_ignore_patterns(project: Project) -> None:
    collectstatic.command(noinput=True, ignore=["*.txt", "app_*"], verbosity=0)
    assert files(project.static_root) == ["css/site.css", "img/logo.png"]

    collectstatic.command(noinput=True, no_default_ignore=True, clear=True, verbosity=0)
    assert ".hidden" in files(project.static_root)
    assert "site.css~" in files(project.static_root)


def test_post_processing_with_the_manifest_storage(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(STORAGES=MANIFEST_STORAGE):
        collectstatic.command(noinput=True)

    manifest = json.loads((project.static_root / "staticfiles.json").read_text())
    assert sorted(manifest["paths"]) == COLLECTED
    hashed_css = project.static_root / manifest["paths"]["css/site.css"]
    assert manifest["paths"]["img/logo.png"] in hashed_css.read_text()
    assert capsys.readouterr().out.endswith("6 post-processed, 1 skipped due to conflict.\n")
    with override_settings(STORAGES=MANIFEST_STORAGE, DEBUG=False):
        collectstatic.command(noinput=True, no_post_process=True)  # the manifest is kept
    assert json.loads((project.static_root / "staticfiles.json").read_text()) == manifest


def test_a_post_processing_error_stops_with_one_message(project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "css").mkdir(parents=True)
    (broken / "css" / "x.css").write_text("a { background: url(missing.png) }")
    with (
        override_settings(STORAGES=MANIFEST_STORAGE, STATICFILES_DIRS=[broken]),
        pytest.raises(SystemExit) as info,
    ):
        collectstatic.command(noinput=True, verbosity=0)

    assert str(info.value.code) == (
        "Post-processing failed: 'css/x.css' refers to 'missing.png', but no static file "
        "'css/missing.png' was collected."
    )


def test_it_asks_before_overwriting(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    collectstatic.command(noinput=True, verbosity=0)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    with pytest.raises(SystemExit, match=r"Collecting static files cancelled\."):
        collectstatic.command(clear=True)
    assert "This will DELETE ALL FILES in this location!" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all: piped, no --noinput
    with pytest.raises(SystemExit, match="cancelled"):
        collectstatic.command()

    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    collectstatic.command(clear=True, verbosity=0)
    assert files(project.static_root) == COLLECTED


def test_an_empty_destination_needs_no_confirmation(project: Project) -> None:
    collectstatic.command(verbosity=0)  # would read stdin, which pytest makes fail

    assert files(project.static_root) == COLLECTED


def test_without_static_root_it_says_so(project: Project) -> None:
    with (
        override_settings(STATIC_ROOT=None),
        pytest.raises(ImproperlyConfigured, match="without having set the STATIC_ROOT setting"),
    ):
        collectstatic.command(noinput=True)


def test_a_progress_bar_only_at_a_terminal(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=80)
    monkeypatch.setattr(collectstatic, "_console", terminal)
    collectstatic.command(noinput=True)
    piped = io.StringIO()
    monkeypatch.setattr(collectstatic, "_console", Console(file=piped, width=80))
    collectstatic.command(noinput=True, clear=True)

    assert "Collecting" in screen.getvalue()
    assert "━" in screen.getvalue()
    assert "Collecting" not in piped.getvalue()
    assert "\x1b[" not in piped.getvalue()


def test_findstatic_lists_every_match(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    findstatic.command(["shared.txt", "nope.css"])
    output = capsys.readouterr()

    app_one, app_two = (HERE / app / "static" / "shared.txt" for app in ("app_one", "app_two"))
    assert output.out == f"Found 'shared.txt' here:\n  {app_one}\n  {app_two}\n"
    assert output.err == "No matching file found for 'nope.css'.\n"


def test_findstatic_first_and_verbosity(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    findstatic.command(["shared.txt"], first=True, verbosity=0)
    assert capsys.readouterr().out == f"{HERE / 'app_one' / 'static' / 'shared.txt'}\n"

    findstatic.command(["css/site.css"], verbosity=2)
    assert capsys.readouterr().out.endswith(
        "\nLooking in the following locations:\n"
        f"  {HERE / 'project_static'}\n  {DOWNLOADS}\n"
        f"  {HERE / 'app_one' / 'static'}\n  {HERE / 'app_two' / 'static'}\n"
    )
