"""The system checks framework: messages, the registry, and Djanco's built-in checks."""

from __future__ import annotations

# Importing the built-in check modules registers their checks.
from djanco.core.checks import apps, middleware, security, templates, urls  # noqa: F401
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
from djanco.db.backends import checks as _database_checks  # noqa: F401
from djanco.db.migrations import checks as _migration_checks  # noqa: F401
from djanco.db.models import checks as _model_checks  # noqa: F401

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
