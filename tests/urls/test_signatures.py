"""reverse_signatures(): what reverse() may build for a name, without values to build it."""

from __future__ import annotations

import pytest

from djanco.urls import NoReverseMatch, URLSignature, reverse_signatures

URLCONF = "tests.templates.urls"


def test_the_routes_and_parameters_a_name_reverses_to() -> None:
    assert reverse_signatures("article", URLCONF) == [
        URLSignature("articles/<int:pk>/", ("pk",), frozenset())
    ]
    assert reverse_signatures("outlet:index", URLCONF) == [URLSignature("outlet/", (), frozenset())]


def test_accepts_counts_positional_arguments_and_matches_keyword_names() -> None:
    [signature] = reverse_signatures("archive", URLCONF)

    assert signature.accepts(1)
    assert signature.accepts(keywords=["year"])
    assert not signature.accepts(2)
    assert not signature.accepts(keywords=["month"])
    assert not signature.accepts(1, ["year"])  # reverse() refuses to mix them
    assert not signature.accepts()


def test_an_unknown_name_raises_reverses_error() -> None:
    with pytest.raises(NoReverseMatch, match=r"Did you mean 'article'\?"):
        reverse_signatures("articel", URLCONF)
