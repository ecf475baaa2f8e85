"""Tests of the contrib apps."""
