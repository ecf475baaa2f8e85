"""URLconf for RedirectView(pattern_name=...) and redirect() shortcut tests."""

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import path


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"detail {pk}")


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


urlpatterns = [
    path("", home, name="home"),
    path("items/<int:pk>/", detail, name="detail"),
]
