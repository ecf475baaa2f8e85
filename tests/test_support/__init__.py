"""Tests of djanco.test: the test clients and the pytest plugin."""
