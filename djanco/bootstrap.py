"""``djanco.setup()``: load settings, configure logging and populate the app registry once.

Importing this module also registers Djanco's built-in system checks: each package keeps its
checks in its own ``checks`` module, registered when imported (apps register theirs from
``AppConfig.ready()``).
"""

from __future__ import annotations

import logging.config
import threading

from djanco.apps import apps
from djanco.conf import configure, is_configured, on_setting_changed, settings
from djanco.core.checks import apps as _app_checks  # noqa: F401
from djanco.core.checks import registry
from djanco.core.checks import security as _security_checks  # noqa: F401
from djanco.core.exceptions import ImproperlyConfigured
from djanco.middleware import checks as _middleware_checks  # noqa: F401
from djanco.templates import checks as _template_checks  # noqa: F401
from djanco.urls import checks as _url_checks  # noqa: F401

_lock = threading.RLock()

# The ORM's checks are imported when checks first run (``djanco check``, server start-up):
# importing them loads SQLAlchemy, which a project without models never needs to serve.
for _module in (
    "djanco.db.backends.checks",
    "djanco.db.models.checks",
    "djanco.db.migrations.checks",
):
    registry.register_module(_module)


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
