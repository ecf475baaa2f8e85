"""Settings of the Djanco TechEmpower project.

The database is PostgreSQL by default; ``bench/run.py`` points it at SQLite with
``DJANCO_DATABASES__DEFAULT=sqlite:///...`` for the embedded variant.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = "techempower-benchmark-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

DEBUG = False

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["te_djanco"]

# As in TechEmpower's Django entry: no middleware, the same for every framework measured.
MIDDLEWARE: list[str] = []

ROOT_URLCONF = "te_djanco.urls"

TEMPLATES = {"DIRS": [], "APP_DIRS": True}

DATABASES = {"default": "postgresql://postgres@127.0.0.1:5432/hello_world"}

TIME_ZONE = "UTC"
USE_TZ = True
