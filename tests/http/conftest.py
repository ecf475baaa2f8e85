"""HTTP tests: unit tests build requests with tests/http/factory.py; the form data tests send
them through the handler to tests/http/urls_forms.py."""

from __future__ import annotations

from tests.handlers.support import set_settings

__all__ = ["set_settings"]
