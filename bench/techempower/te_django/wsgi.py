"""WSGI entry point: ``gunicorn te_django.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "te_django.settings")

application = get_wsgi_application()
