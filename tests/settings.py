"""Settings for Djanco's own test suite."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = True
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "djanco.middleware.security.SecurityMiddleware",
    "djanco.middleware.common.CommonMiddleware",
    "djanco.middleware.gzip.GZipMiddleware",
]
ROOT_URLCONF = "tests.root_urls"
DATABASES = {"default": "sqlite:///:memory:"}
