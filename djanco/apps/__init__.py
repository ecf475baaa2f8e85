"""The app registry: AppConfig, the ``apps`` registry and how INSTALLED_APPS is loaded."""

from __future__ import annotations

from djanco.apps.config import AppConfig
from djanco.apps.registry import AppRegistryNotReady, Apps, apps

__all__ = ["AppConfig", "AppRegistryNotReady", "Apps", "apps"]
