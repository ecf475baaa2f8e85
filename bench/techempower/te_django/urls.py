"""One route per TechEmpower test type: sync views under WSGI, async views under ASGI."""

from django.conf import settings
from django.urls import path

if settings.MODE == "asgi":
    from te_django import async_views as views
else:
    from te_django import views  # type: ignore[no-redef]

urlpatterns = [
    path("json", views.json, name="json"),
    path("plaintext", views.plaintext, name="plaintext"),
    path("db", views.db, name="db"),
    path("queries", views.queries, name="queries"),
    path("fortunes", views.fortunes, name="fortunes"),
    path("updates", views.updates, name="updates"),
]
