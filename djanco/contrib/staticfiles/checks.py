"""System checks of the static files settings (Django's staticfiles ids) and of every
``static("path")`` with a literal path in the templates. Registered by the app's ready()."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from djanco.apps import apps
from djanco.conf import settings
from djanco.contrib.staticfiles.finders import find, get_finders
from djanco.contrib.staticfiles.storage import ALIAS, staticfiles_storage
from djanco.core.checks import CheckMessage, Error, Warning
from djanco.core.exceptions import ImproperlyConfigured
from djanco.templates.sources import TemplateCall, find_calls

if TYPE_CHECKING:
    from djanco.apps import AppConfig

TAG = "staticfiles"
APP_NAME = "djanco.contrib.staticfiles"


def check_settings(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """staticfiles.E002, E003, W004 (STATICFILES_DIRS), E005 (STORAGES), as Django's; and
    W102 (a relative path), E103 (STATIC_ROOT or STATIC_URL shared with media), E104 (the
    storage cannot be made)."""
    if not _installed():
        return []
    return [*_check_dirs(), *_check_root(), *_check_storage()]


def _check_dirs() -> Iterator[CheckMessage]:
    root = settings.STATIC_ROOT
    for entry in settings.STATICFILES_DIRS:
        prefix, directory = entry if isinstance(entry, tuple) else ("", entry)
        if prefix.endswith("/"):
            yield Error(
                f"The prefix {prefix!r} in the STATICFILES_DIRS setting must not end with a slash.",
                id="staticfiles.E003",
            )
        if root is not None and _same_or_inside(root, directory):
            yield Error(
                "The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.",
                hint=f"STATIC_ROOT ({root}) is where collectstatic copies the files found in "
                f"STATICFILES_DIRS ({directory}); it must be outside them, or collected files "
                "would be collected again.",
                id="staticfiles.E002",
            )
        if not directory.is_dir():
            yield Warning(
                f"The directory '{directory}' in the STATICFILES_DIRS setting does not exist.",
                id="staticfiles.W004",
            )
        yield from _check_absolute(directory, "STATICFILES_DIRS entry")


def _check_root() -> Iterator[CheckMessage]:
    root = settings.STATIC_ROOT
    if root is not None:
        yield from _check_absolute(root, "STATIC_ROOT")
        if settings.MEDIA_ROOT is not None and _same(root, settings.MEDIA_ROOT):
            yield Error(
                "The STATIC_ROOT and MEDIA_ROOT settings must have different values.",
                hint="collectstatic --clear would delete the uploaded files.",
                id="staticfiles.E103",
            )
    if settings.MEDIA_URL and settings.MEDIA_URL == settings.STATIC_URL:
        yield Error(
            "The MEDIA_URL and STATIC_URL settings must have different values.",
            id="staticfiles.E103",
        )


def _check_absolute(path: Path, what: str) -> Iterator[CheckMessage]:
    if not path.is_absolute():
        yield Warning(
            f"{what} '{path}' is a relative path, so where it points depends on the directory "
            "the command or server is started from.",
            hint="Build it from BASE_DIR, e.g. BASE_DIR / 'static'.",
            id="staticfiles.W102",
        )


def _check_storage() -> Iterator[CheckMessage]:
    if ALIAS not in settings.STORAGES:
        yield Error(f"The STORAGES setting must define a {ALIAS!r} storage.", id="staticfiles.E005")
        return
    try:
        staticfiles_storage()
    except (ImproperlyConfigured, TypeError) as exc:
        yield Error(
            f"STORAGES[{ALIAS!r}] cannot be used: {exc}",
            hint="BACKEND names a storage class, such as "
            "'djanco.contrib.staticfiles.storage.ManifestStaticFilesStorage'; OPTIONS are "
            "the keyword arguments it takes.",
            id="staticfiles.E104",
        )


def check_static_calls(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """staticfiles.E101: ``static("path")`` in a template names a file no finder finds."""
    if not _installed():
        return []
    known: list[str] | None = None
    messages: list[CheckMessage] = []
    for call in find_calls("static"):
        if find(call.target.lstrip("/")) is not None:
            continue
        if known is None:
            known = sorted({path for finder in get_finders() for path, _ in finder.list([])})
        messages.append(_missing(call, known))
    return messages


def _missing(call: TemplateCall, known: list[str]) -> CheckMessage:
    close = difflib.get_close_matches(call.target.lstrip("/"), known, n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    locations = [str(location) for finder in get_finders() for location in finder.locations]
    return Error(
        f"{call}: no static file {call.target!r} was found.{suggestion}",
        hint="Looked in: "
        + (", ".join(locations) or "no directories")
        + ". Static files live in an app's static/ folder or a STATICFILES_DIRS directory.",
        obj=call.location,
        id="staticfiles.E101",
    )


def _installed() -> bool:
    # The registry of checks outlives a change of INSTALLED_APPS (in tests, say).
    return apps.ready and apps.is_installed(APP_NAME)


def _same(first: Path, second: Path) -> bool:
    return first.resolve() == second.resolve()


def _same_or_inside(inner: Path, outer: Path) -> bool:
    return inner.resolve().is_relative_to(outer.resolve())
