"""The TechEmpower test types as async Django views (served by uvicorn), with the async ORM."""

from random import randint, sample

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from te_django.common import ADDITIONAL_FORTUNE, query_count, world_dict
from te_django.models import Fortune, World


async def json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def db(request: HttpRequest) -> HttpResponse:
    return JsonResponse(world_dict(await World.objects.aget(pk=randint(1, 10000))))


async def queries(request: HttpRequest) -> HttpResponse:
    worlds = [await World.objects.aget(pk=randint(1, 10000)) for _ in range(query_count(request))]
    return JsonResponse([world_dict(world) for world in worlds], safe=False)


async def fortunes(request: HttpRequest) -> HttpResponse:
    rows = [fortune async for fortune in Fortune.objects.all()]
    rows.append(Fortune(id=0, message=ADDITIONAL_FORTUNE))
    rows.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": rows})


async def updates(request: HttpRequest) -> HttpResponse:
    ids = sorted(sample(range(1, 10001), query_count(request)))
    worlds = [await World.objects.aget(pk=pk) for pk in ids]
    for world in worlds:
        world.randomnumber = randint(1, 10000)
    await World.objects.abulk_update(worlds, ["randomnumber"])
    return JsonResponse([world_dict(world) for world in worlds], safe=False)
