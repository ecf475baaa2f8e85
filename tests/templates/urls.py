"""URLconf for the template tests' url() global."""

from djanco.http import HttpRequest, HttpResponse
from djanco.urls import include, path


def _view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("", _view, name="home"),
    path("articles/<int:pk>/", _view, name="article"),
    path("archive/<int:year>/", _view, name="archive"),
    path("hello/<str:name>/", _view, name="hello"),
    # Two instances of one app: url("shop:index") links within the instance being served.
    path("shop/", include(([path("", _view, name="index")], "shop"))),
    path("outlet/", include(([path("", _view, name="index")], "shop"), namespace="outlet")),
]
