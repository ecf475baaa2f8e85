"""Djanco settings for bench/orm.py; the database URL comes from ``BENCH_ORM_DATABASE``."""

import os

DEBUG = False
SECRET_KEY = "bench-orm-not-secret-but-long-enough-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = ["orm_djanco"]
DATABASES = {"default": os.environ.get("BENCH_ORM_DATABASE", "sqlite:///:memory:")}
