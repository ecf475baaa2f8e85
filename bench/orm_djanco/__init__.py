"""Djanco side of bench/orm.py: its settings and the benchmark's models."""
