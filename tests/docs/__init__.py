"""Tests that run what the README and the guides under docs/ tell a reader to run."""
