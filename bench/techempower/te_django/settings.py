"""Settings of the Django TechEmpower project, in its fastest documented configuration.

``TE_DJANGO_MODE=wsgi`` (gunicorn sync workers): persistent connections
(``CONN_MAX_AGE = None``) and sync views. ``TE_DJANGO_MODE=asgi`` (uvicorn): Django's
psycopg connection pool (persistent connections are not meant for ASGI) and async views.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
MODE = os.environ.get("TE_DJANGO_MODE", "wsgi")

SECRET_KEY = "techempower-benchmark-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["te_django"]
# As in TechEmpower's Django entry: no middleware.
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "te_django.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
    }
]

_DATABASE: dict[str, object] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "hello_world",
    "USER": "postgres",
    "HOST": "127.0.0.1",
    "PORT": "5432",
}
if MODE == "asgi":
    _DATABASE |= {"CONN_MAX_AGE": 0, "OPTIONS": {"pool": {"min_size": 4, "max_size": 20}}}
else:
    _DATABASE |= {"CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": False}
DATABASES = {"default": _DATABASE}

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TIME_ZONE = "UTC"
USE_TZ = True
USE_I18N = False
