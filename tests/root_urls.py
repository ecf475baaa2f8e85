"""Default URLconf for the test suite; areas needing their own routes override ROOT_URLCONF."""

from djanco.urls import URLEntry

urlpatterns: list[URLEntry] = []
