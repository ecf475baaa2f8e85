"""Storages: the URL static() gives, and the content-hashed copies and manifest of
ManifestStaticFilesStorage, with the references between files rewritten."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from djanco.contrib.staticfiles.storage import (
    ManifestStaticFilesStorage,
    StaticFilesStorage,
    staticfiles_storage,
)
from djanco.core.exceptions import ImproperlyConfigured
from djanco.templates import get_environment
from tests.contrib.staticfiles.conftest import MANIFEST_STORAGE, Project
from tests.http.factory import override_settings


def md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()[:12]


def write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    """Write ``files`` (name → text) under ``root``; return name → path, as collected."""
    paths: dict[str, Path] = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths[name] = path
    return paths


def test_the_default_storage_joins_static_url(project: Project) -> None:
    storage = staticfiles_storage()

    assert isinstance(storage, StaticFilesStorage)
    assert storage.url("css/site.css") == "/static/css/site.css"
    assert storage.url("/img/a b#1.png") == "/static/img/a%20b%231.png"
    assert storage.path("css/site.css") == project.static_root / "css" / "site.css"


def test_a_storage_needs_static_root_for_paths() -> None:
    with pytest.raises(ImproperlyConfigured, match="without having set the STATIC_ROOT"):
        StaticFilesStorage(location=None).path("x.css")


def test_the_storage_is_the_one_storages_names_with_its_options(tmp_path: Path) -> None:
    backend = "djanco.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    options: dict[str, object] = {"location": tmp_path, "base_url": "/assets/"}
    with override_settings(STORAGES={"staticfiles": {"BACKEND": backend, "OPTIONS": options}}):
        storage = staticfiles_storage()

    assert isinstance(storage, ManifestStaticFilesStorage)
    assert storage.location == tmp_path


@pytest.mark.parametrize(
    ("storages", "message"),
    [
        ({}, "must define a 'staticfiles' storage"),
        ({"staticfiles": {"BACKEND": "djanco.nope.Storage"}}, "no module named 'djanco.nope'"),
        (
            {"staticfiles": {"BACKEND": "djanco.conf.Settings"}},
            "is not a static files storage",
        ),
    ],
)
def test_a_storage_that_cannot_be_made_is_improperly_configured(
    storages: dict[str, object], message: str
) -> None:
    with override_settings(STORAGES=storages), pytest.raises(ImproperlyConfigured, match=message):
        staticfiles_storage()


def test_post_process_stores_hashed_copies_and_a_manifest(tmp_path: Path) -> None:
    collected = write(tmp_path / "src", {"img/logo.png": "PNG", "js/app.min.js": "1;"})
    storage = ManifestStaticFilesStorage(location=tmp_path / "root")

    done = list(storage.post_process(collected))

    logo, script = f"img/logo.{md5(b'PNG')}.png", f"js/app.min.{md5(b'1;')}.js"
    assert [(d.name, d.stored_name, d.processed) for d in done] == [
        ("img/logo.png", logo, True),
        ("js/app.min.js", script, True),
    ]
    assert (tmp_path / "root" / logo).read_text() == "PNG"
    manifest = json.loads((tmp_path / "root" / "staticfiles.json").read_text())
    paths = {"img/logo.png": logo, "js/app.min.js": script}
    assert manifest == {
        "paths": paths,
        "version": "1.1",
        "hash": md5(json.dumps(sorted(paths.items())).encode()),
    }
    again = list(storage.post_process(collected))
    assert [d.processed for d in again] == [False, False]  # identical copies are kept


def test_references_in_css_point_at_the_hashed_names(tmp_path: Path) -> None:
    css = (
        '@import "base.css";\n'
        "@import url('print.css') print;\n"
        ".a { background: url(../img/logo.png); }\n"
        '.b { background: url( "../img/logo.png?v=2#top" ); }\n'
        ".c { background: url(/static/img/logo.png); }\n"
        ".d { background: url(data:image/png;base64,AAAA), url(https://x.org/a.png); }\n"
        ".e { background: url(/elsewhere/a.png), url(#shape), url(//cdn.org/a.png); }\n"
        "/*# sourceMappingURL=site.css.map */\n"
    )
    collected = write(
        tmp_path / "src",
        {
            "css/site.css": css,
            "css/base.css": "b{}",
            "css/print.css": '@import "base.css";',
            "css/site.css.map": "{}",
            "img/logo.png": "PNG",
        },
    )
    storage = ManifestStaticFilesStorage(location=tmp_path / "root")
    list(storage.post_process(collected))

    base, logo = f"base.{md5(b'b{}')}.css", f"logo.{md5(b'PNG')}.png"
    print_css = f'@import "{base}";'
    expected = (
        f'@import "{base}";\n'
        f"@import url('print.{md5(print_css.encode())}.css') print;\n"
        f".a {{ background: url(../img/{logo}); }}\n"
        f'.b {{ background: url( "../img/{logo}?v=2#top" ); }}\n'
        f".c {{ background: url(/static/img/{logo}); }}\n"
        ".d { background: url(data:image/png;base64,AAAA), url(https://x.org/a.png); }\n"
        ".e { background: url(/elsewhere/a.png), url(#shape), url(//cdn.org/a.png); }\n"
        f"/*# sourceMappingURL=site.css.{md5(b'{}')}.map */\n"
    )
    stored = storage.hashed_files["css/site.css"]
    assert stored == f"css/site.{md5(expected.encode())}.css"
    assert (tmp_path / "root" / stored).read_text() == expected


def test_a_reference_to_a_file_not_collected_fails(tmp_path: Path) -> None:
    collected = write(tmp_path / "src", {"css/site.css": "a { background: url(gone.png); }"})
    storage = ManifestStaticFilesStorage(location=tmp_path / "root")

    with pytest.raises(ValueError, match=r"'css/site\.css' refers to 'gone\.png', but no static"):
        list(storage.post_process(collected))


def test_references_in_a_cycle_fail(tmp_path: Path) -> None:
    collected = write(tmp_path / "src", {"a.css": '@import "b.css";', "b.css": '@import "a.css";'})
    storage = ManifestStaticFilesStorage(location=tmp_path / "root")

    with pytest.raises(ValueError, match=r"in a cycle: a\.css -> b\.css -> a\.css"):
        list(storage.post_process(collected))


def test_a_dry_run_post_processes_nothing(tmp_path: Path) -> None:
    collected = write(tmp_path / "src", {"a.png": "PNG"})
    storage = ManifestStaticFilesStorage(location=tmp_path / "root")

    assert list(storage.post_process(collected, dry_run=True)) == []
    assert not (tmp_path / "root").exists()


def test_manifest_urls_are_hashed_without_debug_only(tmp_path: Path) -> None:
    storage = ManifestStaticFilesStorage(location=tmp_path)
    list(storage.post_process(write(tmp_path / "src", {"img/logo.png": "PNG"})))

    with override_settings(DEBUG=False):
        assert storage.url("img/logo.png") == f"/static/img/logo.{md5(b'PNG')}.png"
        assert storage.url("img/logo.png?v=1#x") == f"/static/img/logo.{md5(b'PNG')}.png?v=1#x"
    with override_settings(DEBUG=True):
        assert storage.url("img/logo.png") == "/static/img/logo.png"


def test_a_name_missing_from_the_manifest_says_what_to_do(tmp_path: Path) -> None:
    storage = ManifestStaticFilesStorage(location=tmp_path)
    with override_settings(DEBUG=False):
        with pytest.raises(ValueError, match=r"'a\.css': there is no manifest yet; run `djanco"):
            storage.url("a.css")
        list(storage.post_process(write(tmp_path / "src", {"b.css": "b"})))
        with pytest.raises(ValueError, match=r"'a\.css': it was not among the files"):
            storage.url("a.css")


def test_without_manifest_strict_the_file_is_hashed(tmp_path: Path) -> None:
    write(tmp_path, {"a.css": "a"})
    storage = ManifestStaticFilesStorage(location=tmp_path)
    storage.manifest_strict = False

    with override_settings(DEBUG=False):
        assert storage.url("a.css") == f"/static/a.{md5(b'a')}.css"


def test_a_broken_manifest_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "staticfiles.json").write_text("{not json")

    storage = ManifestStaticFilesStorage(location=tmp_path)
    with override_settings(DEBUG=False), pytest.raises(ValueError, match="Couldn't load manifest"):
        storage.url("a.css")


def test_the_static_global_gives_the_storages_url(project: Project) -> None:
    def render() -> str:
        return get_environment().from_string('{{ static("img/logo.png") }}').render()

    assert render() == "/static/img/logo.png"
    write(project.static_root / "src", {"img/logo.png": "PNG"})
    with override_settings(STORAGES=MANIFEST_STORAGE, DEBUG=False):
        storage = staticfiles_storage()
        collected = {"img/logo.png": project.static_root / "src" / "img/logo.png"}
        list(storage.post_process(collected))
        assert render() == f"/static/img/logo.{md5(b'PNG')}.png"
