"""Contrib: optional apps (static files first) built only on Djanco's public API, installed
through INSTALLED_APPS like a project's own apps."""
