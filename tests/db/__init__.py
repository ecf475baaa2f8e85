"""Tests of djanco.db: backends, transactions, models and querysets."""
