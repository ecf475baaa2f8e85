"""Tests of connections, statement execution and driver error wrapping."""
