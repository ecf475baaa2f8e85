"""Settings of the mysite project.

Each one can be overridden with an environment variable ``DJANCO_<NAME>``, for example
``DJANCO_DEBUG=false`` or ``DJANCO_ALLOWED_HOSTS=example.com,www.example.com``.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# A development key: Djanco refuses to start with it once DEBUG is off. In production set
# DJANCO_SECRET_KEY to a long random value kept out of version control.
SECRET_KEY = "djanco-insecure-4n4t6LVOlmPncJFmvn9h7WV5r9-5hJ1BKJE1TIFjcQl1lK3eUqIPoQ"

DEBUG = True

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]

MIDDLEWARE = [
    "djanco.middleware.security.SecurityMiddleware",
    "djanco.middleware.common.CommonMiddleware",
    "djanco.middleware.gzip.GZipMiddleware",
]

ROOT_URLCONF = "mysite.urls"

TEMPLATES = {"DIRS": [BASE_DIR / "templates"], "APP_DIRS": True}

DATABASES = {"default": f"sqlite:///{BASE_DIR / 'db.sqlite3'}"}

TIME_ZONE = "UTC"
USE_TZ = True
LANGUAGE_CODE = "en-us"

# Static files (CSS, JavaScript, images): each app's static/ folder and the directories below,
# served by runserver with DEBUG; `djanco collectstatic` copies them to STATIC_ROOT, which
# `djanco serve` serves.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
