"""The TechEmpower test types, written as a Djanco user would."""

from random import randint, sample

from djanco.http import HttpRequest, HttpResponse, JsonResponse
from djanco.shortcuts import render
from te_djanco.models import Fortune, World


def _query_count(request: HttpRequest) -> int:
    """The ``queries`` parameter, clamped to 1..500 (1 when missing or not a number)."""
    try:
        count = int(request.GET.get("queries", "1") or "1")
    except ValueError:
        return 1
    return min(max(count, 1), 500)


def _world(world: World) -> dict[str, int]:
    return {"id": world.id, "randomNumber": world.randomnumber}


async def json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def db(request: HttpRequest) -> HttpResponse:
    world = await World.objects.aget(pk=randint(1, 10000))
    return JsonResponse(_world(world))


async def queries(request: HttpRequest) -> HttpResponse:
    worlds = [await World.objects.aget(pk=randint(1, 10000)) for _ in range(_query_count(request))]
    return JsonResponse([_world(world) for world in worlds], safe=False)


async def fortunes(request: HttpRequest) -> HttpResponse:
    rows = [fortune async for fortune in Fortune.objects.all()]
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": rows})


async def updates(request: HttpRequest) -> HttpResponse:
    # Distinct ids in ascending order: concurrent requests lock rows in the same order.
    ids = sorted(sample(range(1, 10001), _query_count(request)))
    worlds = [await World.objects.aget(pk=pk) for pk in ids]
    for world in worlds:
        world.randomnumber = randint(1, 10000)
    await World.objects.abulk_update(worlds, ["randomnumber"])
    return JsonResponse([_world(world) for world in worlds], safe=False)
