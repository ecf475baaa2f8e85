"""Djanco: a batteries-included, fully typed, async-native web framework."""

from __future__ import annotations

from djanco.utils.version import __version__

__all__ = ["__version__", "setup"]


def setup(settings_module: str | None = None) -> None:
    """Load settings and populate the app registry, as ``django.setup()`` does.

    The settings module is ``settings_module`` if given, else ``DJANCO_SETTINGS``, else
    ``[tool.djanco] settings`` in the nearest ``pyproject.toml`` above the working directory.
    """
    # Not imported at the top, to break a cycle: every ``import djanco.x`` runs this module
    # first, and bootstrap imports the whole framework (so the smallest import would load it).
    from djanco.bootstrap import setup as _setup

    _setup(settings_module)
