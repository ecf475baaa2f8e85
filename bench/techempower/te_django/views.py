"""The TechEmpower test types as sync Django views (served by gunicorn sync workers)."""

from random import randint, sample

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from te_django.common import ADDITIONAL_FORTUNE, query_count, world_dict
from te_django.models import Fortune, World


def json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


def db(request: HttpRequest) -> HttpResponse:
    return JsonResponse(world_dict(World.objects.get(pk=randint(1, 10000))))


def queries(request: HttpRequest) -> HttpResponse:
    worlds = [World.objects.get(pk=randint(1, 10000)) for _ in range(query_count(request))]
    return JsonResponse([world_dict(world) for world in worlds], safe=False)


def fortunes(request: HttpRequest) -> HttpResponse:
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message=ADDITIONAL_FORTUNE))
    rows.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": rows})


def updates(request: HttpRequest) -> HttpResponse:
    ids = sorted(sample(range(1, 10001), query_count(request)))
    worlds = [World.objects.get(pk=pk) for pk in ids]
    for world in worlds:
        world.randomnumber = randint(1, 10000)
    World.objects.bulk_update(worlds, ["randomnumber"])
    return JsonResponse([world_dict(world) for world in worlds], safe=False)
