"""Tests of djanco.contrib.staticfiles."""
