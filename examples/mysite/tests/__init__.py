"""Tests of the mysite project; run them with ``djanco test``."""
