"""Listeners told the name of a setting after it changes, so caches built from it can reset."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[str], None]] = []


def on_setting_changed(callback: Callable[[str], None]) -> None:
    """Call ``callback(name)`` after any setting is assigned or the settings are replaced.

    Registering the same callback twice has no extra effect.
    """
    if callback not in _listeners:
        _listeners.append(callback)


def notify_setting_changed(name: str) -> None:
    """Tell every listener, in registration order, that setting ``name`` changed."""
    for callback in tuple(_listeners):
        callback(name)
