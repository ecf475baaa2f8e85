"""The home page renders, and unknown URLs are 404s."""

from djanco.test import Client
from djanco.urls import reverse


def test_home_page(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "mysite is up and running" in response.text


def test_unknown_url_is_404(client: Client) -> None:
    assert client.get("/missing").status_code == 404
