"""Django side of bench/orm.py: standalone settings and the benchmark's models."""

from __future__ import annotations


def setup(database: dict[str, object]) -> None:
    """Configure Django without a settings module (``settings.configure``) and load the app."""
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-orm-not-secret-but-long-enough-0123456789abcdefghijklmnop",
        INSTALLED_APPS=["orm_django"],
        DATABASES={"default": database},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
    )
    django.setup()
