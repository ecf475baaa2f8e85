"""Path converters: the built-in five, user-registered ones, and how they fail."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls import NoReverseMatch, Resolver404, path, register_converter, resolve, reverse

MakeURLconf = Callable[..., str]


def view(request: object, **kwargs: object) -> str:
    return "view"


def fallback(request: object, **kwargs: object) -> str:
    return "fallback"


@pytest.fixture
def conf(make_urlconf: MakeURLconf) -> str:
    return make_urlconf(
        [
            path("int/<int:n>/", view, name="int"),
            path("str/<str:s>/", view, name="str"),
            path("plain/<s>/", view, name="plain"),
            path("slug/<slug:s>/", view, name="slug"),
            path("uuid/<uuid:u>/", view, name="uuid"),
            path("path/<path:p>", view, name="path"),
        ]
    )


def test_int_converts_to_int(conf: str) -> None:
    match = resolve("/int/42/", conf)
    assert match.kwargs == {"n": 42}
    assert type(match.kwargs["n"]) is int
    assert reverse("int", conf, args=[42]) == "/int/42/"
    assert reverse("int", conf, kwargs={"n": "7"}) == "/int/7/"


@pytest.mark.parametrize("bad", ["/int/-1/", "/int/abc/", "/int/4.2/", "/int//"])
def test_int_rejects_non_digits(conf: str, bad: str) -> None:
    with pytest.raises(Resolver404):
        resolve(bad, conf)


def test_str_is_one_segment_and_the_default(conf: str) -> None:
    assert resolve("/str/hello world/", conf).kwargs == {"s": "hello world"}
    assert resolve("/plain/x.y/", conf).kwargs == {"s": "x.y"}
    with pytest.raises(Resolver404):
        resolve("/str/a/b/", conf)
    with pytest.raises(NoReverseMatch):
        reverse("str", conf, args=["a/b"])


def test_slug(conf: str) -> None:
    assert resolve("/slug/my-post_2/", conf).kwargs == {"s": "my-post_2"}
    with pytest.raises(Resolver404):
        resolve("/slug/not a slug/", conf)
    with pytest.raises(NoReverseMatch):
        reverse("slug", conf, args=["not a slug"])


def test_uuid_converts_to_uuid(conf: str) -> None:
    value = uuid.UUID("9f8e7d6c-5b4a-4321-8fed-cba987654321")
    assert resolve(f"/uuid/{value}/", conf).kwargs == {"u": value}
    assert reverse("uuid", conf, args=[value]) == f"/uuid/{value}/"
    with pytest.raises(Resolver404):
        resolve("/uuid/12345678-1234-5678-1234-56781234567/", conf)  # one digit short
    with pytest.raises(Resolver404):
        resolve(f"/uuid/{str(value).upper()}/", conf)  # canonical lower case only, as Django


def test_path_spans_slashes(conf: str) -> None:
    assert resolve("/path/a/b/c.txt", conf).kwargs == {"p": "a/b/c.txt"}
    assert reverse("path", conf, args=["a/b c.txt"]) == "/path/a/b%20c.txt"


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if year < 1900:
            raise ValueError("too old")  # "not this pattern": resolution moves on
        return year

    def to_url(self, value: int) -> str:
        if not isinstance(value, int):
            raise ValueError("years are ints")  # "not this pattern": reverse moves on
        return f"{value:04d}"


register_converter(FourDigitYear, "yyyy")


def test_custom_converter_resolves_and_reverses(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf(
        [
            path("articles/<yyyy:year>/", view, name="year"),
            path("articles/<str:year>/", fallback, name="year"),
        ]
    )
    match = resolve("/articles/2024/", conf)
    assert (match.func, match.kwargs) == (view, {"year": 2024})
    # to_python raising ValueError means "no match": the next pattern gets its chance.
    assert resolve("/articles/1850/", conf).func is fallback
    assert reverse("year", conf, args=[2024]) == "/articles/2024/"
    # Same name twice: the last one is tried first (Django), then the converter one.
    assert reverse("year", conf, args=["old"]) == "/articles/old/"


def test_custom_converter_to_url_value_error_means_no_match(make_urlconf: MakeURLconf) -> None:
    conf = make_urlconf([path("y/<yyyy:year>/", view, name="year")])
    with pytest.raises(NoReverseMatch, match=r"with arguments '\('2024',\)' not found"):
        reverse("year", conf, args=["2024"])


def test_registering_the_same_class_again_is_harmless() -> None:
    register_converter(FourDigitYear, "yyyy")


def test_registering_a_taken_name_is_an_error() -> None:
    class Other(FourDigitYear):
        pass

    with pytest.raises(ValueError, match=r"Converter 'int' is already registered\."):
        register_converter(Other, "int")


def test_registering_a_bad_name_or_regex_is_an_error() -> None:
    class BadRegex:
        regex = "[0-9"

        def to_python(self, value: str) -> str:
            return value

        def to_url(self, value: str) -> str:
            return value

    with pytest.raises(ValueError, match="must be a Python identifier"):
        register_converter(FourDigitYear, "year:4")
    with pytest.raises(ValueError, match=r"BadRegex has an invalid regex '\[0-9'"):
        register_converter(BadRegex, "badregex")


def test_unknown_converter_names_the_route_and_the_known_ones() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        path("a/<integer:pk>/", view)
    assert str(info.value) == (
        "URL route 'a/<integer:pk>/' uses unknown converter 'integer'. Known converters: "
        "int, path, slug, str, uuid, yyyy; add others with register_converter()."
    )
