"""path(), re_path() and include() refuse bad URLconfs when they are written, not per request."""

from __future__ import annotations

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls import include, path, re_path


def view(request: object) -> str:
    return "view"


class ArticleView:
    @classmethod
    def as_view(cls) -> object:
        return view


def test_route_with_leading_slash_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        path("/articles/", view)
    assert str(info.value) == (
        "URL route '/articles/' starts with '/'. Routes are relative to the site root or "
        "their include(), so write 'articles/'."
    )


def test_regex_with_leading_slash_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"URL regex '\^/old/\$' starts with '/'"):
        re_path(r"^/old/$", view)


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            "a/<int:my-pk>/",
            "URL route 'a/<int:my-pk>/' uses parameter name 'my-pk' which isn't a valid "
            "Python identifier.",
        ),
        (
            "a/<int: pk>/",
            "URL route 'a/<int: pk>/' cannot contain whitespace in angle brackets <…>.",
        ),
        (
            "a/<int:pk>/<slug:pk>/",
            "URL route 'a/<int:pk>/<slug:pk>/' uses parameter name 'pk' more than once.",
        ),
        (
            "a/<int:pk/",
            "URL route 'a/<int:pk/' has an unmatched '<': parameters are written "
            "<converter:name> or <name>.",
        ),
        (
            "a/int:pk>/",
            "URL route 'a/int:pk>/' has an unmatched '>': parameters are written "
            "<converter:name> or <name>.",
        ),
    ],
)
def test_malformed_route_names_the_route(route: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        path(route, view)
    assert str(info.value) == message


def test_invalid_regex_names_it() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"URL regex '\^a/\(\?P<x>\[0-9\]/\$' is not"):
        re_path(r"^a/(?P<x>[0-9]/$", view)


def test_class_instead_of_as_view_is_refused() -> None:
    with pytest.raises(TypeError) as info:
        path("a/", ArticleView)  # a class is callable: only the runtime check can catch it
    assert str(info.value) == (
        "view must be a callable, pass ArticleView.as_view(), not ArticleView."
    )


def test_non_callable_view_is_refused() -> None:
    with pytest.raises(TypeError, match=r"view must be a callable or include\(\), not 'home'"):
        path("a/", "home")  # type: ignore[call-overload]


def test_kwargs_must_be_a_dict() -> None:
    with pytest.raises(TypeError, match=r"kwargs argument must be a dict, but got list\."):
        path("a/", view, ["x"])  # type: ignore[call-overload]


def test_names_cannot_contain_colons() -> None:
    with pytest.raises(ImproperlyConfigured, match="URL pattern name 'blog:index' for route 'a/'"):
        path("a/", view, name="blog:index")


def test_include_cannot_be_named() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        path("blog/", include([path("", view)]), name="blog")  # type: ignore[call-overload]
    assert str(info.value) == (
        "path('blog/', include(...), name='blog'): an include() cannot be named; name the "
        "patterns inside it, or give include() a namespace."
    )


def test_namespace_needs_an_app_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="Specifying a namespace in include"):
        include([path("", view)], namespace="blog")


def test_include_rejects_other_tuples() -> None:
    with pytest.raises(ImproperlyConfigured, match="Passing a 3-tuple to include"):
        include(([path("", view)], "blog", "extra"))  # type: ignore[arg-type]


def test_include_of_a_missing_module_fails_at_once() -> None:
    with pytest.raises(ModuleNotFoundError, match="no_such_urls_module"):
        include("no_such_urls_module")
