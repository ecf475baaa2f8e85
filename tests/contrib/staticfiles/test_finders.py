"""Finders: STATICFILES_DIRS (with prefixes) first, then each app's static/, in order."""

from __future__ import annotations

import pytest

from djanco.contrib.staticfiles.finders import (
    AppDirectoriesFinder,
    FileSystemFinder,
    find,
    get_finders,
)
from tests.contrib.staticfiles.conftest import DOWNLOADS, HERE, PROJECT_STATIC

pytestmark = pytest.mark.usefixtures("project")


def test_find_searches_the_directories_then_the_apps_in_order() -> None:
    assert find("css/site.css") == PROJECT_STATIC / "css" / "site.css"
    assert find("app_one/app.js") == HERE / "app_one" / "static" / "app_one" / "app.js"
    assert find("shared.txt") == HERE / "app_one" / "static" / "shared.txt"
    assert find("nope.css") is None


def test_find_all_lists_every_match_in_search_order() -> None:
    assert find("shared.txt", find_all=True) == [
        HERE / "app_one" / "static" / "shared.txt",
        HERE / "app_two" / "static" / "shared.txt",
    ]
    assert find("nope.css", find_all=True) == []


def test_a_prefixed_directory_is_found_under_its_prefix_only() -> None:
    assert find("downloads/report.txt") == DOWNLOADS / "report.txt"
    assert find("report.txt") is None


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "css/../../secret.txt",
        "downloads/../../secret.txt",
        str(HERE / "secret.txt"),
        "/etc/passwd",
        "css\\..\\..\\secret.txt",
        "css/site.css\x00",
        "C:/secret.txt",
        "css",  # a directory is not a file
    ],
)
def test_nothing_outside_the_directories_is_found(path: str) -> None:
    assert find(path) is None


def test_listing_leaves_out_the_ignore_patterns() -> None:
    [directories, app_folders] = get_finders()

    assert isinstance(directories, FileSystemFinder)
    assert isinstance(app_folders, AppDirectoriesFinder)
    assert [path for path, _ in directories.list(["CVS", ".*", "*~"])] == [
        "css/site.css",
        "img/logo.png",
        "downloads/report.txt",
    ]
    assert ".hidden" in [path for path, _ in directories.list([])]
    assert [path for path, _ in app_folders.list(["app_*"])] == ["shared.txt", "shared.txt"]
    assert directories.locations == [PROJECT_STATIC, DOWNLOADS]
