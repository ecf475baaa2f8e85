"""The ``djanco`` command line: built-in commands, app-provided commands and scaffolds."""
