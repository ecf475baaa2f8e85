"""A URLconf including one app twice under the same instance namespace."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import include, path


def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("ok")


shop = ([path("", view, name="index")], "shop")

urlpatterns = [
    path("shop/", include(shop)),
    path("outlet/", include(shop)),  # also "shop": reverse("shop:index") can't reach it
    path("sale/", include(shop, namespace="sale")),  # its own namespace: fine
]
