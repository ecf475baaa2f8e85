"""to_field, default_related_name, RESTRICT, SET_DEFAULT, unique_together, through= models."""

from __future__ import annotations

import pytest

from djanco.core.exceptions import ValidationError
from djanco.db import DatabaseWrapper
from djanco.db.models import RestrictedError
from tests.db.models.models import SPORT, Coach, Contract, Fixture, Player, Season, Team

pytestmark = pytest.mark.tables(*SPORT)


def test_to_field_and_default_related_name(connection: DatabaseWrapper) -> None:
    red = Team.objects.create(code="RED", name="Reds")
    player = Player.objects.create(name="p", team=red)
    assert player.__dict__["team_id"] == "RED"
    fresh = Player.objects.get(pk=player.pk)
    assert fresh.team == red
    assert [p.name for p in red.players.all()] == ["p"]  # type: ignore[attr-defined]
    assert Player.objects.filter(team__name="Reds").count() == 1
    assert Player.objects.filter(team="RED").count() == 1
    assert [p.name for p in Player.objects.select_related("team")] == ["p"]


def test_restrict(connection: DatabaseWrapper) -> None:
    red = Team.objects.create(code="RED")
    Player.objects.create(name="p", team=red)
    with pytest.raises(RestrictedError, match=r"restricted foreign keys: 'Player\.team'"):
        red.delete()
    # RESTRICT allows the delete when the restricted rows go too through another cascade.
    season = Season.objects.create(team=red, year=2024)
    Fixture.objects.create(season=season, team=red)
    Player.objects.all().delete()
    total, counts = red.delete()
    assert counts == {"modeltests.Fixture": 1, "modeltests.Season": 1, "modeltests.Team": 1}
    assert total == 3


def test_set_default(connection: DatabaseWrapper) -> None:
    red = Team.objects.create(code="RED")
    coach = Coach.objects.create(name="c")
    player = Player.objects.create(name="p", team=red, coach=coach)
    coach.delete()
    assert Player.objects.get(pk=player.pk).coach is None


def test_unique_together_validation(connection: DatabaseWrapper) -> None:
    red = Team.objects.create(code="RED")
    Player.objects.create(name="a", team=red, number=7)
    clash = Player(name="b", team=red, number=7)
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert exc.value.message_dict["__all__"] == ["Player with this Team and Number already exists."]


def test_explicit_through_model(connection: DatabaseWrapper) -> None:
    red = Team.objects.create(code="RED")
    blue = Team.objects.create(code="BLU")
    coach = Coach.objects.create(name="c")
    Contract.objects.create(coach=coach, team=red, year=2020)
    coach.teams.add(blue)
    assert sorted(t.code for t in coach.teams.all()) == ["BLU", "RED"]
    assert [c.name for c in red.coaches.all()] == ["c"]  # type: ignore[attr-defined]
    assert Coach.objects.filter(teams__code="BLU").count() == 1
    assert Contract.objects.get(team=blue).year == 2024
