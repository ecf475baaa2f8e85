"""Errors raised while loading, planning or applying migrations."""

from __future__ import annotations


class MigrationError(Exception):
    """Base class of every migrations error; its message is meant for the user."""


class BadMigrationError(MigrationError):
    """A migration file that cannot be imported or has no usable ``Migration`` class."""


class NodeNotFoundError(MigrationError):
    """A dependency or target naming a migration that does not exist."""


class InconsistentMigrationHistory(MigrationError):
    """An applied migration whose dependencies are not applied."""


class IrreversibleError(MigrationError):
    """An operation (or migration) that cannot be reversed was asked to."""


class ConflictError(MigrationError):
    """An app with more than one leaf migration."""


class InvalidModelError(MigrationError):
    """A model the migrations cannot describe (e.g. an unserialisable default)."""
