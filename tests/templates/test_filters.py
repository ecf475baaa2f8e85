"""The built-in filters render as Django's do, with Django's format strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from djanco.templates import get_environment
from tests.http.factory import override_settings

UTC = dt.UTC
MOMENT = dt.datetime(2024, 3, 5, 14, 7, 9, tzinfo=UTC)


def render(source: str, **context: object) -> str:
    return get_environment().from_string(source).render(context)


@pytest.mark.parametrize(
    ("format_string", "expected"),
    [
        ("Y-m-d H:i", "2024-03-05 14:07"),
        ("N j, Y", "March 5, 2024"),
        ("D, d M y", "Tue, 05 Mar 24"),
        ("l jS \\o\\f F", "Tuesday 5th of March"),
        ("g:i a", "2:07 p.m."),
        ("h A", "02 PM"),
        ("G s u", "14 09 000000"),
        ("P", "2:07 p.m."),
        ("n/t L w z W", "3/31 True 2 65 10"),
        ("b E o", "mar March 2024"),
        ("O e T Z", "+0000 UTC UTC 0"),
        ("c", "2024-03-05T14:07:09+00:00"),
        ("r", "Tue, 05 Mar 2024 14:07:09 +0000"),
        ("U", "1709647629"),
    ],
)
def test_date_takes_djangos_format_characters(format_string: str, expected: str) -> None:
    assert render("{{ d|date(f) }}", d=MOMENT, f=format_string) == expected


def test_date_defaults_and_named_formats() -> None:
    assert render("{{ d|date }}", d=MOMENT) == "March 5, 2024"
    assert render('{{ d|date("SHORT_DATE_FORMAT") }}', d=MOMENT) == "03/05/2024"
    assert render('{{ d|date("DATETIME_FORMAT") }}', d=MOMENT) == "March 5, 2024, 2:07 p.m."
    assert render("{{ d|date }}", d=dt.date(2024, 9, 1)) == "Sept. 1, 2024"


def test_date_shows_an_aware_datetime_in_the_time_zone() -> None:
    with override_settings(TIME_ZONE="Europe/Paris"):
        assert render('{{ d|date("H:i T O") }}', d=MOMENT) == "15:07 CET +0100"


def test_date_and_time_fail_quietly_on_what_they_cannot_format() -> None:
    assert render('{{ v|date("Y") }}|{{ n|date }}', v="not a date", n=None) == "|"
    assert render('{{ t|time("Y") }}|{{ t|date("Y") }}', t=dt.time(9, 30)) == "|"


def test_date_refuses_time_characters_for_a_date_as_django_does() -> None:
    with pytest.raises(TypeError, match="time-related format specifiers \\(found 'H'\\)"):
        render('{{ d|date("Y H:i") }}', d=dt.date(2024, 1, 1))


def test_time_formats_a_time() -> None:
    assert render("{{ t|time }}", t=dt.time(0, 0)) == "midnight"
    assert render("{{ t|time }}", t=dt.time(12, 0)) == "noon"
    assert render('{{ t|time("H:i") }}', t=MOMENT) == "14:07"
    assert render('{{ t|time("f A") }}', t=dt.time(9, 5)) == "9:05 AM"


def test_timesince_gives_two_adjacent_units() -> None:
    start = dt.datetime(2023, 1, 10, 8, 0, tzinfo=UTC)
    assert render("{{ a|timesince(b) }}", a=start, b=start + dt.timedelta(days=4, hours=6)) == (
        "4\xa0days, 6\xa0hours"
    )
    later = dt.datetime(2024, 3, 10, 9, 0, tzinfo=UTC)
    assert render("{{ a|timesince(b) }}", a=start, b=later) == "1\xa0year, 2\xa0months"
    week = start + dt.timedelta(weeks=1, hours=3)
    assert render("{{ a|timesince(b) }}", a=start, b=week) == "1\xa0week"
    assert render("{{ a|timesince(b) }}", a=later, b=start) == "0\xa0minutes"


def test_timesince_without_an_argument_counts_to_now() -> None:
    an_hour_ago = dt.datetime.now(UTC) - dt.timedelta(minutes=61)
    assert render("{{ a|timesince }}", a=an_hour_ago) == "1\xa0hour, 1\xa0minute"


def test_default_replaces_any_false_value_as_in_django() -> None:
    template = '{{ v|default("none") }}'
    assert [render(template, v=v) for v in ("", 0, None, [], "x", 3)] == [
        "none", "none", "none", "none", "x", "3"
    ]  # fmt: skip
    assert render('{{ missing|default("none") }}') == "none"  # undefined, even with DEBUG


def test_linebreaksbr_escapes_then_breaks_lines() -> None:
    assert render("{{ t|linebreaksbr }}", t="a <b>\r\nc\rd\ne") == "a &lt;b&gt;<br>c<br>d<br>e"


def test_truncatewords() -> None:
    assert render("{{ t|truncatewords(2) }}", t="Joel  is\na slug") == "Joel is …"
    assert render("{{ t|truncatewords(9) }}", t="Joel is a slug") == "Joel is a slug"
    assert render("{{ t|truncatewords('x') }}", t="Joel is") == "Joel is"


@pytest.mark.parametrize(
    ("value", "argument", "expected"),
    [
        (1, "", "vote"),
        (0, "", "votes"),
        (2, "", "votes"),
        ("1", "", "vote"),
        ([1], "", "vote"),
        ([1, 2], "", "votes"),
        (1, '("es")', "vote"),
        (2, '("es")', "votees"),
        (1, '("y,ies")', "votey"),
        (3, '("y,ies")', "voteies"),
        (3, '("a,b,c")', "vote"),
        ("many", "", "vote"),
    ],
)
def test_pluralize(value: object, argument: str, expected: str) -> None:
    assert render("vote{{ v|pluralize" + argument + " }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4500, "4,500"),
        (-1234567, "-1,234,567"),
        (4500.25, "4,500.25"),
        (Decimal("1234.50"), "1,234.50"),
        ("45000", "45,000"),
        ("12345 apples", "12,345 apples"),
        (999, "999"),
    ],
)
def test_intcomma(value: object, expected: str) -> None:
    assert render("{{ v|intcomma }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0\xa0bytes"),
        (1, "1\xa0byte"),
        (1023, "1023\xa0bytes"),
        (1024, "1.0\xa0KB"),
        (123456789, "117.7\xa0MB"),
        (2 * 1024**3, "2.0\xa0GB"),
        (1024**6, "1024.0\xa0PB"),
        (-2048, "-2.0\xa0KB"),
        ("junk", "0\xa0bytes"),
    ],
)
def test_filesizeformat(value: object, expected: str) -> None:
    assert render("{{ v|filesizeformat }}", v=value) == expected


def test_urlencode_keeps_slashes_unless_told() -> None:
    assert render("{{ v|urlencode }}", v="a b/c&d") == "a%20b/c%26d"
    assert render('{{ v|urlencode("") }}', v="a b/c") == "a%20b%2Fc"


def test_yesno() -> None:
    template = '{{ v|yesno("yeah,no,maybe") }} {{ v|yesno("yeah,no") }} {{ v|yesno }}'
    assert render(template, v=True) == "yeah yeah yes"
    assert render(template, v=False) == "no no no"
    assert render(template, v=None) == "maybe no maybe"


def test_json_script_is_inert_inside_html() -> None:
    data = {"title": "</script><script>alert(1)</script>", "when": dt.date(2024, 1, 2)}
    assert render('{{ d|json_script("data") }}', d=data) == (
        '<script id="data" type="application/json">{"title": '
        '"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E", '
        '"when": "2024-01-02"}</script>'
    )
    assert render("{{ 1|json_script }}") == '<script type="application/json">1</script>'
    assert render("{{ 1|json_script('\"x') }}") == (
        '<script id="&#34;x" type="application/json">1</script>'
    )
