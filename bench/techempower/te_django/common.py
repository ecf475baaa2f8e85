"""What the sync and async views share."""

from django.http import HttpRequest

from te_django.models import World

ADDITIONAL_FORTUNE = "Additional fortune added at request time."


def query_count(request: HttpRequest) -> int:
    """The ``queries`` parameter, clamped to 1..500 (1 when missing or not a number)."""
    try:
        count = int(request.GET.get("queries", "1") or "1")
    except ValueError:
        return 1
    return min(max(count, 1), 500)


def world_dict(world: World) -> dict[str, int]:
    return {"id": world.id, "randomNumber": world.randomnumber}
