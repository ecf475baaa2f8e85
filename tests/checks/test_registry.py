"""Registering checks, running them by tag and deploy flag, and how messages print."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from djanco.apps import AppConfig
from djanco.core.checks import (
    CRITICAL,
    ERROR,
    CheckMessage,
    CheckRegistry,
    Critical,
    Error,
    Info,
    Warning,
    register,
    registry,
    run_checks,
)


def test_register_forms_and_tags() -> None:
    checks = CheckRegistry()

    @checks.register
    def plain(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        return [Info("plain ran", id="t.I001")]

    @checks.register("models", "database")
    def tagged(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        return [Warning("tagged ran", id="t.W001")]

    @checks.register("security", deploy=True)
    def deploy_only(app_configs: Sequence[AppConfig] | None) -> list[Error]:
        return [Error("deploy ran", id="t.E001")]

    def called(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        return [Critical("called ran", id="t.C001")]

    assert checks.register(called, "urls") is called

    def ids(**kwargs: object) -> list[str | None]:
        return [m.id for m in checks.run_checks(**kwargs)]  # type: ignore[arg-type]

    assert ids() == ["t.I001", "t.W001", "t.C001"]
    assert ids(tags=["database"]) == ["t.W001"]
    assert ids(include_deployment_checks=True) == ["t.I001", "t.W001", "t.E001", "t.C001"]
    assert ids(tags=["security"], include_deployment_checks=True) == ["t.E001"]
    assert checks.tag_exists("security", include_deployment_checks=True)
    assert not checks.tag_exists("security")


def test_unknown_tag_is_an_error_listing_the_tags() -> None:
    checks = CheckRegistry()
    checks.register(lambda app_configs: [], "urls")
    with pytest.raises(
        ValueError, match=r"no system check with the 'url' tag. Available tags: urls"
    ):
        checks.run_checks(tags=["url"])


def test_app_configs_are_passed_to_checks() -> None:
    checks = CheckRegistry()
    seen: list[object] = []

    @checks.register
    def spy(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        seen.append(app_configs)
        return []

    checks.run_checks()
    checks.run_checks(app_configs=[])
    assert seen == [None, []]


def test_check_must_return_a_list() -> None:
    checks = CheckRegistry()
    checks.register(lambda app_configs: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="a check must return a list of CheckMessage"):
        checks.run_checks()


def test_apps_register_on_the_global_registry() -> None:
    @register("urls")
    def app_check(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        return [Warning("from an app", id="myapp.W001")]

    try:
        assert "myapp.W001" in [m.id for m in run_checks(tags=["urls"])]
    finally:
        registry._checks.pop(app_check)


def test_message_formatting_and_levels() -> None:
    error = Error("Something is wrong.", hint="Fix it.", obj="myapp.Model", id="myapp.E001")
    assert str(error) == "myapp.Model: (myapp.E001) Something is wrong.\n\tHINT: Fix it."
    assert str(Warning("No object.")) == "?: No object."
    assert error.level == ERROR and error.level_tag == "ERROR"
    assert error.is_serious() and not Warning("w").is_serious()
    assert Critical("c").level == CRITICAL
    assert error == Error("Something is wrong.", hint="Fix it.", obj="myapp.Model", id="myapp.E001")
    assert error != Warning(
        "Something is wrong.", hint="Fix it.", obj="myapp.Model", id="myapp.E001"
    )
    assert repr(Info("hi", id="x.I001")) == (
        "<Info: level=20, msg='hi', hint=None, obj=None, id='x.I001'>"
    )
