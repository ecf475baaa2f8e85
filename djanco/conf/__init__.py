"""Settings: the typed Settings model, the lazily loaded ``settings`` object and its loading."""

from __future__ import annotations

from djanco.conf.discovery import find_settings_module
from djanco.conf.environ import SettingsWarning
from djanco.conf.lazy import UnknownSettingError, configure, is_configured, settings
from djanco.conf.settings import (
    DEV_SECRET_KEY_PREFIX,
    CacheSettings,
    Settings,
    StorageSettings,
    TemplateOptions,
    TemplateSettings,
)
from djanco.conf.signals import on_setting_changed

__all__ = [
    "DEV_SECRET_KEY_PREFIX",
    "CacheSettings",
    "Settings",
    "SettingsWarning",
    "StorageSettings",
    "TemplateOptions",
    "TemplateSettings",
    "UnknownSettingError",
    "configure",
    "find_settings_module",
    "is_configured",
    "on_setting_changed",
    "settings",
]
