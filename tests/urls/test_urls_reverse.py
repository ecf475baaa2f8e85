"""reverse() and reverse_lazy(): URLs from names, and errors saying why none was found."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from djanco.conf import settings
from djanco.urls import NoReverseMatch, include, path, re_path, reverse, reverse_lazy
from djanco.utils.functional import LazyStr

MakeURLconf = Callable[..., str]


def home(request: object) -> str:
    return "home"


def detail(request: object, **kwargs: object) -> str:
    return "detail"


def other(request: object, *args: object, **kwargs: object) -> str:
    return "other"


@pytest.fixture
def conf(make_urlconf: MakeURLconf) -> str:
    blog = [
        path("", home, name="index"),
        path("<int:pk>/", detail, name="detail"),
        path("<slug:slug>/", detail, name="detail"),
    ]
    return make_urlconf(
        [
            path("", home, name="home"),
            path("articles/<int:year>/<slug:slug>/", detail, name="article"),
            path("feed/", other, {"format": "rss"}, name="feed"),
            path("blog/", include((blog, "blog"))),
            path("news/", include((blog, "blog"), namespace="news")),
            path("files/<path:name>", other, name="file"),
            re_path(r"^archive/(?P<year>[0-9]{4})/(?:page-(?P<page>\d+)/)?$", other, name="arch"),
            re_path(r"^old/(\d+)/(\w+)\.html$", other, name="old"),
        ]
    )


def test_reverse_with_args_and_kwargs(conf: str) -> None:
    assert reverse("home", conf) == "/"
    assert reverse("article", conf, args=[2024, "hello"]) == "/articles/2024/hello/"
    assert reverse("article", conf, kwargs={"year": 2024, "slug": "hi"}) == "/articles/2024/hi/"


def test_reverse_by_view_function(conf: str) -> None:
    # Namespaced includes are reached only through their namespace, as in Django.
    assert reverse(home, conf) == "/"
    # Of the patterns routing to the view, the first (from the last) that fits the arguments.
    assert reverse(other, conf) == "/feed/"
    assert reverse(other, conf, args=[1, "x"]) == "/old/1/x.html"


def test_pattern_chosen_by_the_arguments_given(conf: str) -> None:
    assert reverse("blog:detail", conf, args=[5]) == "/blog/5/"
    assert reverse("blog:detail", conf, args=["a-slug"]) == "/blog/a-slug/"


def test_extra_kwargs_may_be_given_only_with_their_value(conf: str) -> None:
    assert reverse("feed", conf) == "/feed/"
    assert reverse("feed", conf, kwargs={"format": "rss"}) == "/feed/"
    with pytest.raises(NoReverseMatch):
        reverse("feed", conf, kwargs={"format": "atom"})


def test_app_and_instance_namespaces(conf: str) -> None:
    assert reverse("news:index", conf) == "/news/"
    # The app namespace picks its default instance (the one named like the app)...
    assert reverse("blog:index", conf) == "/blog/"
    # ...or the current one when the request is inside another instance.
    assert reverse("blog:index", conf, current_app="news") == "/news/"


def test_app_namespace_without_default_instance_uses_last_deployed(
    make_urlconf: MakeURLconf,
) -> None:
    polls = [path("", home, name="index")]
    conf = make_urlconf(
        [
            path("a/", include((polls, "polls"), namespace="first")),
            path("b/", include((polls, "polls"), namespace="second")),
        ]
    )
    assert reverse("polls:index", conf) == "/b/"
    assert reverse("polls:index", conf, current_app="first") == "/a/"


def test_nested_namespaces_and_prefix_arguments(make_urlconf: MakeURLconf) -> None:
    comments = [path("<int:cid>/", detail, name="comment")]
    posts = [path("<int:pk>/comments/", include((comments, "comments")))]
    conf = make_urlconf([path("u/<slug:user>/", include((posts, "blog")))])
    url = reverse("blog:comments:comment", conf, kwargs={"user": "ann", "pk": 1, "cid": 2})
    assert url == "/u/ann/1/comments/2/"
    assert reverse("blog:comments:comment", conf, args=["ann", 1, 2]) == url


def test_re_path_reverse(conf: str) -> None:
    assert reverse("arch", conf, args=[2024]) == "/archive/2024/"
    assert reverse("arch", conf, kwargs={"year": 2024, "page": 3}) == "/archive/2024/page-3/"
    assert reverse("old", conf, args=[7, "intro"]) == "/old/7/intro.html"
    with pytest.raises(NoReverseMatch):
        reverse("arch", conf, args=[24])


def test_reverse_quotes_and_keeps_path_characters(conf: str) -> None:
    assert reverse("file", conf, args=["a b/ç?#.txt"]) == "/files/a%20b/%C3%A7%3F%23.txt"
    assert reverse("file", conf, args=["/etc/x"]) == "/files//etc/x"


def test_query_and_fragment(conf: str) -> None:
    url = reverse("home", conf, query={"q": "a b", "tag": ["x", "y"]}, fragment="top")
    assert url == "/?q=a+b&tag=x&tag=y#top"


def test_unknown_name_says_so_and_suggests(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("artcle", conf)
    assert str(info.value) == (
        "Reverse for 'artcle' not found. 'artcle' is not a valid view function or pattern "
        "name. Did you mean 'article'?"
    )


def test_unknown_name_inside_a_namespace(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("news:detial", conf)
    assert str(info.value) == (
        "Reverse for 'news:detial' not found. 'news:detial' is not a valid view function or "
        "pattern name. Did you mean 'news:detail'?"
    )


def test_a_name_missing_its_namespace_suggests_it(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("index", conf)
    assert str(info.value).endswith("pattern name. Did you mean 'blog:index'?")


def test_unknown_namespace(conf: str) -> None:
    with pytest.raises(NoReverseMatch, match=r"^'nwes' is not a registered namespace. Did you"):
        reverse("nwes:index", conf)
    with pytest.raises(NoReverseMatch, match=r"^'x' is not a registered namespace inside 'news'"):
        reverse("news:x:index", conf)


def test_wrong_args_list_the_patterns_tried(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("blog:detail", conf, args=["not a slug"])
    assert str(info.value) == (
        "Reverse for 'blog:detail' with arguments '('not a slug',)' not found. "
        "2 pattern(s) tried: ['blog/<slug:slug>/', 'blog/<int:pk>/']"
    )


def test_wrong_kwargs_list_the_patterns_tried(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("article", conf, kwargs={"year": 2024})
    assert str(info.value) == (
        "Reverse for 'article' with keyword arguments '{'year': 2024}' not found. "
        "1 pattern(s) tried: ['articles/<int:year>/<slug:slug>/']"
    )


def test_missing_args_list_the_patterns_tried(conf: str) -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("article", conf)
    assert str(info.value) == (
        "Reverse for 'article' with no arguments not found. "
        "1 pattern(s) tried: ['articles/<int:year>/<slug:slug>/']"
    )


def test_unknown_view_function_is_named(conf: str) -> None:
    def unrouted(request: object) -> str:
        return ""

    with pytest.raises(NoReverseMatch, match=r"Reverse for '.*\.unrouted' not found"):
        reverse(unrouted, conf)


def test_args_and_kwargs_cannot_mix(conf: str) -> None:
    with pytest.raises(ValueError, match=r"Don't mix \*args and \*\*kwargs"):
        reverse("article", conf, args=[1], kwargs={"slug": "x"})


@pytest.fixture
def root_urlconf() -> Iterator[None]:
    original = settings.ROOT_URLCONF
    yield
    settings.ROOT_URLCONF = original


# Defined at import time, before any URLconf exists: that is what reverse_lazy() is for.
LAZY_HOME = reverse_lazy("home")


@pytest.mark.usefixtures("root_urlconf")
def test_reverse_lazy_computes_when_used(make_urlconf: MakeURLconf) -> None:
    settings.ROOT_URLCONF = make_urlconf([path("start/", home, name="home")])
    assert isinstance(LAZY_HOME, LazyStr)
    assert str(LAZY_HOME) == "/start/"
    assert LAZY_HOME == "/start/"
    assert hash(LAZY_HOME) == hash("/start/")
    assert LAZY_HOME + "?next=1" == "/start/?next=1"
    assert "http://x" + LAZY_HOME == "http://x/start/"
    assert f"{LAZY_HOME}" == "/start/"
    assert repr(LAZY_HOME) == "LazyStr('/start/')"
    # It follows the URLconf rather than caching the first answer.
    settings.ROOT_URLCONF = make_urlconf([path("moved/", home, name="home")])
    assert str(LAZY_HOME) == "/moved/"


@pytest.mark.usefixtures("root_urlconf")
def test_reverse_lazy_takes_query_and_fragment(make_urlconf: MakeURLconf) -> None:
    # Django 5.2's reverse_lazy is reverse made lazy: it takes every argument reverse does.
    settings.ROOT_URLCONF = make_urlconf([path("search/", home, name="search")])
    lazy = reverse_lazy("search", query={"q": "a b"}, fragment="top")
    assert str(lazy) == "/search/?q=a+b#top"


def test_reverse_lazy_error_surfaces_when_used(conf: str) -> None:
    lazy = reverse_lazy("missing", conf)
    with pytest.raises(NoReverseMatch):
        str(lazy)
    assert repr(lazy).startswith("<LazyStr of ")
