"""Middleware: the chain's types and base class, and the built-in security, common, gzip layers."""
