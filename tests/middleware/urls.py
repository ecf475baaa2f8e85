"""Views for the middleware tests."""

from __future__ import annotations

from pathlib import Path

from djanco.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from djanco.urls import path


def trail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(",".join(getattr(request, "trail", [])))


async def big(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Djanco! " * 100)


async def big_encoded(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"x" * 500, headers={"Content-Encoding": "br"})


async def small(request: HttpRequest) -> HttpResponse:
    return HttpResponse("tiny")


async def framed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("may be framed")
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


async def stream(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(f"line {index}\n" for index in range(50))


async def file(request: HttpRequest) -> FileResponse:
    return FileResponse(Path(__file__))


def value_error(request: HttpRequest) -> HttpResponse:
    raise ValueError("bad value")


async def about(request: HttpRequest) -> HttpResponse:
    return HttpResponse("about")


async def doc(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponse(f"doc {name}")


urlpatterns = [
    path("trail/<int:pk>/", trail, name="trail"),
    path("big/", big),
    path("big-encoded/", big_encoded),
    path("small/", small),
    path("framed/", framed),
    path("stream/", stream),
    path("file/", file),
    path("value-error/", value_error),
    path("about/", about),
    path("docs/<str:name>/", doc),
    path("exempt/page/", about),
]
