"""The built-in checks report settings, URL, template, app and middleware problems by id."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from djanco.apps import apps
from djanco.conf import DEV_SECRET_KEY_PREFIX, TemplateSettings, settings
from djanco.core.checks import ERROR, WARNING, CheckMessage, run_checks
from tests.handlers.support import SetSettings


def _ids(messages: list[CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


def _one(messages: list[CheckMessage], id: str) -> CheckMessage:
    [message] = [m for m in messages if m.id == id]
    return message


def test_test_settings_have_no_issues() -> None:
    assert run_checks() == []


# -- URLs -----------------------------------------------------------------------------------


def test_root_urlconf_unset(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF=None)
    message = _one(run_checks(tags=["urls"]), "urls.E001")
    assert message.level == ERROR
    assert message.msg == "ROOT_URLCONF is not set, so no page can be served."


def test_root_urlconf_missing_module(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.no_such_urls")
    message = _one(run_checks(tags=["urls"]), "urls.E002")
    assert message.level == ERROR
    assert "ROOT_URLCONF 'tests.checks.no_such_urls' cannot be loaded" in message.msg


def test_root_urlconf_raising_on_import(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.urls_broken")
    message = _one(run_checks(tags=["urls"]), "urls.E002")
    assert "NameError: name 'undefined_view' is not defined" in message.msg


def test_duplicate_url_names_with_the_same_arguments(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.urls_duplicates")
    messages = run_checks(tags=["urls"])
    assert _ids(messages) == ["urls.W006"]  # "archive" differs by arguments: fine
    message = messages[0]
    assert message.level == WARNING
    assert message.msg == (
        "URL name 'detail' is used by 2 patterns taking the same arguments: 'a/<int:pk>/', "
        "'b/<int:pk>/'. reverse('detail') can only return one of them."
    )


def test_namespace_included_twice(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.urls_shared_namespace")
    messages = run_checks(tags=["urls"])
    assert _ids(messages) == ["urls.W005"]  # as in Django; not also W006 for 'shop:index'
    assert messages[0].level == WARNING
    assert messages[0].msg == (
        "URL namespace 'shop' isn't unique. You may not be able to reverse all URLs in this "
        "namespace"
    )


def test_path_routes_written_as_regexes(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.urls_regex_in_path")
    messages = run_checks(tags=["urls"])
    assert _ids(messages) == ["2_0.W001", "2_0.W001"]
    assert messages[0].msg.startswith(
        "Your URL pattern '^about/$' has a route that contains '(?P<', begins with a '^', or "
        "ends with a '$'."
    )
    assert "'(?P<pk>[0-9]+)/'" in messages[1].msg


def test_bad_error_handlers(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.checks.urls_bad_handlers")
    messages = run_checks(tags=["urls"])
    assert sorted(_ids(messages)) == ["urls.E007", "urls.E008"]
    assert _one(messages, "urls.E007").msg == (
        "The custom handler404 view 'tests.checks.urls_bad_handlers.handler404' does not take "
        "the correct number of arguments (request, exception)."
    )
    assert "does_not_exist" in _one(messages, "urls.E008").msg


# -- templates, apps, middleware ------------------------------------------------------------


def test_template_dirs_that_do_not_exist(set_settings: SetSettings, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    set_settings(TEMPLATES=TemplateSettings(DIRS=[tmp_path, missing, Path("relative")]))
    messages = run_checks(tags=["templates"])
    assert _ids(messages) == ["templates.W001", "templates.W002", "templates.W001"]
    assert messages[0].msg == f"TEMPLATES DIRS entry '{missing}' does not exist."
    assert "relative path" in messages[1].msg


@pytest.fixture
def unchecked_apps() -> Iterator[Callable[[list[str]], None]]:
    """Set INSTALLED_APPS without the registry reloading (and failing) at once."""
    saved = list(settings.INSTALLED_APPS)
    was_ready = apps.ready
    apps.reset()

    def assign(entries: list[str]) -> None:
        settings.INSTALLED_APPS = list(entries)  # type: ignore[assignment]

    yield assign
    settings.INSTALLED_APPS = saved
    if was_ready:
        apps.populate(saved)


def test_uninstallable_apps(unchecked_apps: Callable[[list[str]], None]) -> None:
    unchecked_apps(["tests.checks.no_such_app"])
    message = _one(run_checks(tags=["apps"]), "apps.E001")
    assert message.msg.startswith(
        "INSTALLED_APPS entry 'tests.checks.no_such_app' cannot be loaded"
    )


def test_duplicate_apps(unchecked_apps: Callable[[list[str]], None]) -> None:
    unchecked_apps(["tests.checks", "tests.checks"])
    message = _one(run_checks(tags=["apps"]), "apps.E002")
    assert "'tests.checks' and 'tests.checks' have the same app name" in message.msg


def test_unimportable_middleware(set_settings: SetSettings) -> None:
    set_settings(MIDDLEWARE=["djanco.middleware.security.SecurityMidleware"])
    message = _one(run_checks(tags=["middleware"]), "middleware.E001")
    assert "has no attribute 'SecurityMidleware'" in message.msg


# -- deployment -----------------------------------------------------------------------------


def test_deployment_checks_only_with_deploy(set_settings: SetSettings) -> None:
    set_settings(SECRET_KEY=DEV_SECRET_KEY_PREFIX + "x" * 60)
    assert "security.W009" not in _ids(run_checks())
    ids = _ids(run_checks(include_deployment_checks=True))
    assert {"security.W004", "security.W008", "security.W009", "security.W018"} <= set(ids)


@pytest.mark.parametrize(
    ("key", "warned"),
    [
        ("", True),
        ("short", True),
        ("a" * 60, True),  # too few unique characters
        (DEV_SECRET_KEY_PREFIX + "k8Jd0-Qz9vXy2Lr7NwTb4Hs6Pc1Gm3Ue5Ya0Wq8Ri2Ot4Sf6", True),
        ("k8Jd0-Qz9vXy2Lr7NwTb4Hs6Pc1Gm3Ue5Ya0Wq8Ri2Ot4Sf6Vb7Xn", False),
    ],
)
def test_secret_key_strength(set_settings: SetSettings, key: str, warned: bool) -> None:
    set_settings(SECRET_KEY=key)
    ids = _ids(run_checks(tags=["security"], include_deployment_checks=True))
    assert ("security.W009" in ids) is warned


def test_production_ready_settings_pass_deploy_checks(set_settings: SetSettings) -> None:
    set_settings(
        DEBUG=False,
        SECRET_KEY="k8Jd0-Qz9vXy2Lr7NwTb4Hs6Pc1Gm3Ue5Ya0Wq8Ri2Ot4Sf6Vb7Xn",
        SECURE_HSTS_SECONDS=3600,
        SECURE_SSL_REDIRECT=True,
    )
    assert run_checks(include_deployment_checks=True) == []


def test_missing_security_middleware_and_allowed_hosts(set_settings: SetSettings) -> None:
    set_settings(MIDDLEWARE=[], ALLOWED_HOSTS=[])
    ids = _ids(run_checks(tags=["security"], include_deployment_checks=True))
    assert "security.W001" in ids
    assert "security.W020" in ids
    assert "security.W004" not in ids  # HSTS is moot without the middleware


# -- silencing ------------------------------------------------------------------------------


def test_silenced_checks_are_left_out(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF=None, SILENCED_SYSTEM_CHECKS=["urls.E001"])
    assert run_checks(tags=["urls"]) == []
    [silenced] = run_checks(tags=["urls"], include_silenced=True)
    assert silenced.id == "urls.E001"
    assert silenced.is_silenced()


# -- databases ------------------------------------------------------------------------------


def test_djanco_check_reports_an_unsupported_database_url(set_settings: SetSettings) -> None:
    set_settings(DATABASES={"default": "oracle://scott@db/orcl"})
    message = _one(run_checks(), "database.E001")
    assert message.level == ERROR
    assert "oracle" in message.msg
