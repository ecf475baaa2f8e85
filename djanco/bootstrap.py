"""``djanco.setup()``: load settings, configure logging and populate the app registry once."""

from __future__ import annotations

import logging.config
import threading

from djanco.apps import apps
from djanco.conf import configure, is_configured, on_setting_changed, settings
from djanco.core.exceptions import ImproperlyConfigured

_lock = threading.RLock()


def setup(settings_module: str | None = None) -> None:
    """Make Djanco ready for use, as ``django.setup()`` does; calling it again does nothing.

    Settings come from ``settings_module`` if given (reloaded if it differs from the current
    one), else from wherever ``find_settings_module()`` finds them.
    """
    with _lock:
        if settings_module is not None and (
            not is_configured() or settings_module != settings.SETTINGS_MODULE
        ):
            configure(settings_module)
        elif not is_configured():
            configure()
        if apps.ready:
            return
        if settings.LOGGING:
            _configure_logging(settings.LOGGING)
        apps.populate(settings.INSTALLED_APPS)


def _configure_logging(config: dict[str, object]) -> None:
    try:
        logging.config.dictConfig(config)
    except (ValueError, TypeError, AttributeError, ImportError) as exc:
        raise ImproperlyConfigured(f"Invalid LOGGING setting: {exc}") from exc


def _reload_apps(name: str) -> None:
    # Changing INSTALLED_APPS on live settings (tests, configure()) reloads the registry,
    # like Django's override_settings does.
    if name == "INSTALLED_APPS" and apps.ready and apps.installed != settings.INSTALLED_APPS:
        apps.reset()
        apps.populate(settings.INSTALLED_APPS)


on_setting_changed(_reload_apps)
