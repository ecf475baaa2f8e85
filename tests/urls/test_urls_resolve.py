"""resolve(): which view a path reaches, with what arguments, and what a miss reports."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from djanco.conf import settings
from djanco.core.exceptions import Http404, ImproperlyConfigured
from djanco.urls import (
    Resolver404,
    clear_url_caches,
    get_resolver,
    include,
    path,
    re_path,
    resolve,
)

MakeURLconf = Callable[..., str]


def home(request: object) -> str:
    return "home"


def detail(request: object, **kwargs: object) -> str:
    return "detail"


def other(request: object, *args: object, **kwargs: object) -> str:
    return "other"


def test_match_reports_view_arguments_and_route(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf(
        [path("", home, name="home"), path("articles/<int:pk>/", detail, name="detail")]
    )
    match = resolve("/articles/3/", conf)
    assert match.func is detail
    assert match.args == ()
    assert match.kwargs == {"pk": 3}
    assert match.url_name == "detail"
    assert match.view_name == "detail"
    assert match.route == "articles/<int:pk>/"
    assert (match.app_name, match.namespace, match.app_names, match.namespaces) == ("", "", [], [])
    assert resolve("/", conf).func is home


def test_match_unpacks_into_func_args_kwargs(make_urlconf: MakeURLconf) -> None:
    # Django documents ``func, args, kwargs = resolve(path)``.
    conf = make_urlconf([path("articles/<int:pk>/", detail, name="detail")])
    func, args, kwargs = resolve("/articles/3/", conf)
    assert (func, args, kwargs) == (detail, (), {"pk": 3})
    assert resolve("/articles/3/", conf)[2] == {"pk": 3}


def test_match_separates_captured_and_extra_kwargs(make_urlconf: MakeURLconf) -> None:
    inner = [path("<int:pk>/", detail, {"mode": "full"}, name="detail")]
    conf = make_urlconf(
        [
            path("plain/", detail, {"mode": "plain"}),
            path("<slug:site>/", include((inner, "blog")), {"lang": "en"}),
        ]
    )
    match = resolve("/news/3/", conf)
    assert match.kwargs == {"site": "news", "pk": 3, "mode": "full", "lang": "en"}
    assert match.captured_kwargs == {"site": "news", "pk": 3}
    assert match.extra_kwargs == {"lang": "en", "mode": "full"}
    for _ in range(2):  # the second time from the cache of literal paths
        plain = resolve("/plain/", conf)
        assert (plain.captured_kwargs, plain.extra_kwargs) == ({}, {"mode": "plain"})


def test_unnamed_pattern_view_name_is_the_dotted_view(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("x/", home)])
    assert resolve("/x/", conf).view_name == f"{__name__}.home"


def test_first_matching_pattern_wins(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("<slug:page>/", other), path("about/", home)])
    match = resolve("/about/", conf)
    assert (match.func, match.kwargs) == (other, {"page": "about"})


def test_extra_kwargs_are_passed_and_override_captured(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf(
        [
            path("feed/", home, {"format": "rss"}),
            path("p/<int:page>/", detail, {"page": 1, "extra": True}),
        ]
    )
    assert resolve("/feed/", conf).kwargs == {"format": "rss"}
    assert resolve("/p/5/", conf).kwargs == {"page": 1, "extra": True}


def test_each_match_gets_its_own_kwargs(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("feed/", home, {"format": "rss"})])
    first = resolve("/feed/", conf)
    first.kwargs["format"] = "changed by a view"
    assert resolve("/feed/", conf).kwargs == {"format": "rss"}


def test_re_path_named_groups_are_kwargs(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([re_path(r"^archive/(?P<year>[0-9]{4})/(?:page-(?P<n>\d+)/)?$", detail)])
    assert resolve("/archive/2024/", conf).kwargs == {"year": "2024"}
    assert resolve("/archive/2024/page-2/", conf).kwargs == {"year": "2024", "n": "2"}
    assert (
        resolve("/archive/2024/page-2/", conf).route
        == r"^archive/(?P<year>[0-9]{4})/(?:page-(?P<n>\d+)/)?$"
    )


def test_re_path_unnamed_groups_are_args(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([re_path(r"^old/(\d+)/(\w+)\.html$", other)])
    match = resolve("/old/12/intro.html", conf)
    assert (match.args, match.kwargs) == (("12", "intro"), {})


def test_include_prefixes_and_merges(make_urlconf: MakeURLconf) -> None:
    inner = [path("", home, name="index"), path("<int:pk>/", detail, name="detail")]
    conf = make_urlconf([path("users/<slug:user>/posts/", include(inner), {"site": 1})])
    match = resolve("/users/ann/posts/4/", conf)
    assert match.kwargs == {"user": "ann", "site": 1, "pk": 4}
    assert match.route == "users/<slug:user>/posts/<int:pk>/"
    assert resolve("/users/ann/posts/", conf).url_name == "index"


def test_include_by_dotted_path_with_app_name(make_urlconf: MakeURLconf) -> None:
    blog = make_urlconf([path("<int:pk>/", detail, name="detail")], app_name="blog")
    conf = make_urlconf(
        [path("blog/", include(blog)), path("news/", include(blog, namespace="news"))]
    )
    match = resolve("/blog/1/", conf)
    assert (match.app_names, match.namespaces, match.view_name) == (
        ["blog"],
        ["blog"],
        "blog:detail",
    )
    match = resolve("/news/1/", conf)
    assert (match.app_name, match.namespace, match.view_name) == ("blog", "news", "news:detail")


def test_nested_namespaces(make_urlconf: MakeURLconf) -> None:
    comments = [path("<int:cid>/", detail, name="comment")]
    posts = [path("<int:pk>/comments/", include((comments, "comments")))]
    conf = make_urlconf([path("blog/", include((posts, "blog"), namespace="b1"))])
    match = resolve("/blog/1/comments/2/", conf)
    assert match.view_name == "b1:comments:comment"
    assert match.app_name == "blog:comments"
    assert match.kwargs == {"pk": 1, "cid": 2}


def test_include_of_a_module_object(make_urlconf: MakeURLconf) -> None:
    module = ModuleType("shop_urls")
    module.urlpatterns = [path("cart/", home, name="cart")]  # type: ignore[attr-defined]
    module.app_name = "shop"  # type: ignore[attr-defined]
    conf = make_urlconf([path("shop/", include(module))])
    assert resolve("/shop/cart/", conf).view_name == "shop:cart"


def test_miss_raises_resolver404_with_the_routes_tried(make_urlconf: MakeURLconf) -> None:
    blog = [path("", home), path("<int:pk>/", detail)]
    conf = make_urlconf(
        [
            path("", home),
            path("blog/", include(blog)),
            path("shop/", include([path("cart/", home)])),
            re_path(r"^old/(\d+)/$", other),
        ]
    )
    with pytest.raises(Resolver404) as info:
        resolve("/blog/nope/", conf)
    assert isinstance(info.value, Http404)
    assert info.value.path == "/blog/nope/"
    # Inside the matching include every route is listed; other includes by their prefix.
    assert info.value.tried == ["", "blog/", "blog/<int:pk>/", "shop/", r"^old/(\d+)/$"]
    assert str(info.value) == "No URL pattern matches '/blog/nope/' (5 pattern(s) tried)."


def test_path_must_start_with_a_slash(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("", home)])
    with pytest.raises(Resolver404):
        resolve("", conf)


def test_literal_route_shortcut_keeps_pattern_order(make_urlconf: MakeURLconf) -> None:
    """Literal paths are looked up in a dict; that must never change which pattern wins."""
    conf = make_urlconf(
        [
            path("a/", home, name="a"),
            path("<slug:s>/b/", other),
            path("x/b/", home),
            path("nest/", include([path("leaf/", detail, name="leaf")]), {"k": 1}),
        ]
    )
    for _ in range(2):
        assert resolve("/a/", conf).url_name == "a"
        assert resolve("/x/b/", conf).func is other
        leaf = resolve("/nest/leaf/", conf)
        assert (leaf.func, leaf.kwargs, leaf.route) == (detail, {"k": 1}, "nest/leaf/")


def test_get_resolver_is_cached_until_cleared(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("", home)])
    resolver = get_resolver(conf)
    assert get_resolver(conf) is resolver
    assert resolve("/", conf).func is home
    sys.modules[conf].urlpatterns = [path("", other)]  # type: ignore[attr-defined]
    assert resolve("/", conf).func is home
    clear_url_caches()
    assert get_resolver(conf) is not resolver
    assert resolve("/", conf).func is other


@pytest.fixture
def root_urlconf() -> Iterator[None]:
    original = settings.ROOT_URLCONF
    yield
    settings.ROOT_URLCONF = original


@pytest.mark.usefixtures("root_urlconf")
def test_default_urlconf_follows_root_urlconf(make_urlconf: MakeURLconf) -> None:
    first = make_urlconf([path("", home)])
    second = make_urlconf([path("", other)])
    settings.ROOT_URLCONF = first
    assert resolve("/").func is home
    assert get_resolver().urlconf_name == first
    settings.ROOT_URLCONF = second
    assert resolve("/").func is other


@pytest.mark.usefixtures("root_urlconf")
def test_changing_root_urlconf_rereads_patterns(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("", home)])
    settings.ROOT_URLCONF = conf
    assert resolve("/").func is home
    sys.modules[conf].urlpatterns = [path("", other)]  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = conf  # any assignment resets the caches built from it
    assert resolve("/").func is other


@pytest.mark.usefixtures("root_urlconf")
def test_missing_root_urlconf_is_a_clear_error() -> None:
    settings.ROOT_URLCONF = None
    with pytest.raises(ImproperlyConfigured, match="ROOT_URLCONF is not set"):
        resolve("/")


def test_urlconf_that_does_not_import_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="URLconf module 'no_such_urlconf' does not"):
        resolve("/", "no_such_urlconf")


def test_urlconf_without_urlpatterns(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([])
    sys.modules[conf].urlpatterns = 42  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="does not appear to have any patterns in it"):
        resolve("/", conf)


def test_urlconf_with_a_stray_entry_names_it(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("", home), "oops"])
    with pytest.raises(ImproperlyConfigured) as info:
        resolve("/", conf)
    assert str(info.value) == (
        f"URLconf {conf!r}: urlpatterns[1] is 'oops', not a path() or re_path() pattern."
    )


def test_routes_without_a_fixed_first_segment_are_still_tried_in_order(
    make_urlconf: MakeURLconf,
) -> None:
    """Children are pre-sorted by first path segment; the order between them must hold."""
    conf = make_urlconf(
        [
            path("robots.txt", home, name="robots"),
            path("page<int:n>/", detail, name="page"),
            path("", include([path("page1/", other, name="shadowed"), path("x/", other)])),
            path("page1/", home, name="literal"),
            re_path(r"^(?P<any>.+)/$", detail, name="catch-all"),
        ]
    )
    assert resolve("/robots.txt", conf).url_name == "robots"
    assert resolve("/page1/", conf).url_name == "page"
    assert resolve("/page1/", conf).kwargs == {"n": 1}
    assert resolve("/x/", conf).func is other
    assert resolve("/robots.txt/", conf).url_name == "catch-all"
    with pytest.raises(Resolver404):
        resolve("/robots.txtx", conf)
