"""The app registry: the installed applications, loaded once at start-up."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from djanco.apps.config import AppConfig
from djanco.apps.resolve import create_app_config
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.suggest import did_you_mean


class AppRegistryNotReady(Exception):
    """The app registry was used before ``djanco.setup()`` populated it."""


class Apps:
    """Holds an AppConfig per installed app, in INSTALLED_APPS order."""

    def __init__(self) -> None:
        self.ready = False
        self.installed: list[str | type] = []
        """The INSTALLED_APPS entries the registry was populated from."""
        self._configs: dict[str, AppConfig] = {}
        self._lock = threading.RLock()
        self._populating = False
        self._loaded = False  # configs and models loaded: readable from ready() hooks

    def populate(self, installed: Sequence[str | type]) -> None:
        """Load each app's config and ``models`` module, then call every ``ready()``.

        Does nothing once ready; call ``reset()`` first to load a different list. On error
        the registry is left empty, so a retry reports the same error.
        """
        with self._lock:
            if self.ready:
                return
            if self._populating:
                raise RuntimeError("apps.populate() was called again while populating the apps.")
            self._populating = True
            try:
                self._configs = _unique_configs(installed)
                for config in self._configs.values():
                    config.models_module = config.import_submodule("models")
                self._loaded = True
                for config in self._configs.values():
                    config.ready()
            except BaseException:
                self._configs = {}
                self._loaded = False
                raise
            finally:
                self._populating = False
            self.installed = list(installed)
            self.ready = True

    def reset(self) -> None:
        """Forget every app, so ``populate()`` can run again."""
        with self._lock:
            self._configs = {}
            self.installed = []
            self.ready = self._loaded = False

    def get_app_configs(self) -> list[AppConfig]:
        """Every installed app's config, in INSTALLED_APPS order."""
        self._check_ready()
        return list(self._configs.values())

    def get_app_config(self, label: str) -> AppConfig:
        """The config of the app labelled ``label``; LookupError listing the labels otherwise."""
        self._check_ready()
        try:
            return self._configs[label]
        except KeyError:
            labels = ", ".join(self._configs) or "none"
            raise LookupError(
                f"No installed app with label {label!r}.{did_you_mean(label, self._configs)} "
                f"Installed labels: {labels}."
            ) from None

    def is_installed(self, name: str) -> bool:
        """True if an app with dotted module path ``name`` is installed."""
        self._check_ready()
        return any(config.name == name for config in self._configs.values())

    def get_containing_app_config(self, module_name: str) -> AppConfig | None:
        """The installed app whose module contains the module ``module_name`` (deepest wins)."""
        self._check_ready()
        matches = [
            config
            for config in self._configs.values()
            if (module_name + ".").startswith(config.name + ".")
        ]
        return max(matches, key=lambda config: len(config.name), default=None)

    def _check_ready(self) -> None:
        if not self._loaded:
            raise AppRegistryNotReady(
                "Apps aren't loaded yet: call djanco.setup() first "
                "(the djanco CLI, the ASGI app and the test plugin do it for you)."
            )


def _unique_configs(installed: Sequence[str | type]) -> dict[str, AppConfig]:
    configs: dict[str, AppConfig] = {}
    for entry in installed:
        config = create_app_config(entry)
        if any(other.name == config.name for other in configs.values()):
            raise ImproperlyConfigured(
                f"App {config.name!r} is listed more than once in INSTALLED_APPS."
            )
        clash = configs.get(config.label)
        if clash is not None:
            raise ImproperlyConfigured(
                f"Duplicate app label {config.label!r}: {clash.name!r} and {config.name!r} both "
                "use it. Set a different `label` on one of their AppConfig classes."
            )
        configs[config.label] = config
    return configs


apps = Apps()
"""The process-wide app registry, populated by ``djanco.setup()``."""
