"""URLResolver.iter_routes() and handler(code): what `djanco routes` and error pages read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls import RouteInfo, get_resolver, include, path, re_path

MakeURLconf = Callable[..., str]


def home(request: object) -> str:
    return "home"


def detail(request: object, **kwargs: object) -> str:
    return "detail"


def not_found(request: object, exception: Exception) -> str:
    return "custom 404"


def test_iter_routes_lists_full_routes_and_names(make_urlconf: MakeURLconf) -> None:
    comments = [path("<int:cid>/", detail, name="comment")]
    blog = [
        path("", home, name="index"),
        path("<int:pk>/", detail),
        path("<int:pk>/c/", include((comments, "comments"))),
        re_path(r"^(?P<slug>[-\w]+)/$", detail, name="by-slug"),
    ]
    conf = make_urlconf(
        [
            path("", home, name="home"),
            path("blog/", include((blog, "blog"), namespace="b")),
            path("plain/", include([path("x/", home, name="x")])),
        ]
    )
    assert list(get_resolver(conf).iter_routes()) == [
        RouteInfo("", "home", home),
        RouteInfo("blog/", "b:index", home),
        RouteInfo("blog/<int:pk>/", None, detail),
        RouteInfo("blog/<int:pk>/c/<int:cid>/", "b:comments:comment", detail),
        RouteInfo(r"blog/(?P<slug>[-\w]+)/$", "b:by-slug", detail),
        RouteInfo("plain/x/", "x", home),
    ]


def test_handler_as_callable_or_dotted_path(make_urlconf: MakeURLconf) -> None:
    views = make_urlconf([], not_found=not_found)
    conf = make_urlconf([], handler404=f"{views}.not_found", handler500=not_found)
    resolver = get_resolver(conf)
    assert resolver.handler(404) is not_found
    assert resolver.handler(500) is not_found
    assert resolver.handler(403) is None
    assert resolver.handler(400) is None


def test_bad_handler_is_a_clear_error(make_urlconf: MakeURLconf) -> None:
    views = make_urlconf([])
    conf = make_urlconf([], handler404=f"{views}.missing", handler500=42)
    resolver = get_resolver(conf)
    with pytest.raises(ImproperlyConfigured) as info:
        resolver.handler(404)
    assert str(info.value) == (
        f"Cannot import '{views}.missing': module {views!r} has no attribute 'missing'."
    )
    with pytest.raises(ImproperlyConfigured, match=f"handler500 in URLconf '{conf}' is 42"):
        resolver.handler(500)
