"""A URLconf that fails to import."""

from djanco.urls import path

urlpatterns = [path("x/", undefined_view)]  # type: ignore[name-defined]  # noqa: F821
