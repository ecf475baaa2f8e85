"""Views of the mysite project."""

from djanco.http import HttpRequest, HttpResponse
from djanco.shortcuts import render


async def home(request: HttpRequest) -> HttpResponse:
    """The home page."""
    return render(request, "home.html", {"project_name": "mysite"})
