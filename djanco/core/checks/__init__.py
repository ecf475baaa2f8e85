"""The system checks framework: check messages and the registry checks are registered in.

Djanco's own checks live beside what they check (``djanco.urls.checks``,
``djanco.db.models.checks``...) and are registered by ``djanco.setup()``; the checks of
INSTALLED_APPS and of the deployment settings, whose subjects sit below this package, are
``djanco.core.checks.apps`` and ``djanco.core.checks.security``.
"""

from __future__ import annotations

from djanco.core.checks.messages import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    CheckMessage,
    Critical,
    Debug,
    Error,
    Info,
    Warning,
)
from djanco.core.checks.registry import (
    CheckFunction,
    CheckRegistry,
    Tags,
    register,
    registry,
    run_checks,
    tag_exists,
)

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckFunction",
    "CheckMessage",
    "CheckRegistry",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "Tags",
    "Warning",
    "register",
    "registry",
    "run_checks",
    "tag_exists",
]
