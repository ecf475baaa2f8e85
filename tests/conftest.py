"""Djanco's own test suite runs against tests/settings.py unless told otherwise."""

import os

os.environ.setdefault("DJANCO_SETTINGS", "tests.settings")
