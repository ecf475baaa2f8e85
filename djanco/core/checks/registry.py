"""The check registry: ``register`` a check function, ``run_checks`` to collect its messages."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar, overload

from djanco.core.checks.messages import CheckMessage

if TYPE_CHECKING:
    from djanco.apps import AppConfig

CheckFunction: TypeAlias = "Callable[[Sequence[AppConfig] | None], Iterable[CheckMessage]]"
"""A check: given the apps to check (None: all), returns the problems it finds."""

_C = TypeVar("_C", bound=CheckFunction)


class Tags:
    """The built-in check tags; ``djanco check --tag urls`` runs only checks tagged so."""

    apps = "apps"
    compatibility = "compatibility"
    database = "database"
    middleware = "middleware"
    models = "models"
    security = "security"
    templates = "templates"
    urls = "urls"


@dataclass(frozen=True, slots=True)
class _Registered:
    check: CheckFunction
    tags: frozenset[str]
    deploy: bool


class CheckRegistry:
    """Checks by registration order; deployment-only checks run with ``--deploy``."""

    def __init__(self) -> None:
        self._checks: dict[CheckFunction, _Registered] = {}
        self._modules: list[str] = []

    def register_module(self, name: str) -> None:
        """Import the module ``name`` (which registers its checks) when checks are first asked
        for, not now: the database checks load the ORM, which a process serving requests
        without models never needs."""
        if name not in self._modules:
            self._modules.append(name)

    def _entries(self) -> list[_Registered]:
        while self._modules:
            importlib.import_module(self._modules.pop(0))
        return list(self._checks.values())

    @overload
    def register(self, check: _C, /, *tags: str, deploy: bool = False) -> _C: ...
    @overload
    def register(
        self, check: str | None = None, /, *tags: str, deploy: bool = False
    ) -> Callable[[_C], _C]: ...
    def register(
        self, check: _C | str | None = None, /, *tags: str, deploy: bool = False
    ) -> _C | Callable[[_C], _C]:
        """Register a check, as ``@register``, ``@register("tag", ...)`` or ``register(f, "tag")``.

        ``deploy=True`` makes it a deployment check, run only by ``djanco check --deploy``.
        Registering the same function again replaces its tags.
        """

        if callable(check):
            return self._add(check, tags, deploy)
        names = tags if check is None else (check, *tags)

        def decorator(function: _C) -> _C:
            return self._add(function, names, deploy)

        return decorator

    def _add(self, function: _C, tags: tuple[str, ...], deploy: bool) -> _C:
        self._checks[function] = _Registered(function, frozenset(tags), deploy)
        return function

    def get_checks(self, include_deployment_checks: bool = False) -> list[CheckFunction]:
        """Every registered check, in registration order (deployment ones only if asked)."""
        return [
            entry.check
            for entry in self._entries()
            if include_deployment_checks or not entry.deploy
        ]

    def tags_available(self, deployment_checks: bool = False) -> set[str]:
        """The tags of the checks that would run."""
        return {
            tag
            for entry in self._entries()
            if deployment_checks or not entry.deploy
            for tag in entry.tags
        }

    def tag_exists(self, tag: str, include_deployment_checks: bool = False) -> bool:
        """Whether some check that would run has ``tag``."""
        return tag in self.tags_available(include_deployment_checks)

    def run_checks(
        self,
        app_configs: Sequence[AppConfig] | None = None,
        tags: Iterable[str] | None = None,
        include_deployment_checks: bool = False,
        include_silenced: bool = False,
    ) -> list[CheckMessage]:
        """Run the checks (those with one of ``tags``, if given) and return their messages.

        Messages whose id is in SILENCED_SYSTEM_CHECKS are left out unless
        ``include_silenced`` (``CheckMessage.is_silenced()`` tells them apart). An unknown tag
        is a ValueError naming the available ones.
        """
        wanted = None if tags is None else frozenset(tags)
        if wanted is not None:
            available = self.tags_available(include_deployment_checks)
            unknown = sorted(wanted - available)
            if unknown:
                raise ValueError(
                    f"There is no system check with the {unknown[0]!r} tag. "
                    f"Available tags: {', '.join(sorted(available))}."
                )
        messages: list[CheckMessage] = []
        for entry in self._entries():
            if entry.deploy and not include_deployment_checks:
                continue
            if wanted is not None and entry.tags.isdisjoint(wanted):
                continue
            found = entry.check(app_configs)
            if not isinstance(found, Iterable):
                raise TypeError(
                    f"The check {_name(entry.check)} returned {found!r}; a check must return "
                    "a list of CheckMessage."
                )
            messages.extend(found)
        if include_silenced:
            return messages
        return [message for message in messages if not message.is_silenced()]


def _name(function: object) -> str:
    module = getattr(function, "__module__", "?")
    return f"{module}.{getattr(function, '__qualname__', repr(function))}"


registry = CheckRegistry()
register = registry.register
run_checks = registry.run_checks
tag_exists = registry.tag_exists
