"""Tests of the ``djanco`` command, run as a user runs it: the installed script in a subprocess."""
