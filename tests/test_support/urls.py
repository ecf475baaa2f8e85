"""Views that echo what the test client sent, or set cookies and redirect."""

from __future__ import annotations

from djanco.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from djanco.urls import path


async def echo(request: HttpRequest) -> HttpResponse:
    body = await request.body()
    return JsonResponse(
        {
            "method": request.method,
            "query": {key: request.GET.getlist(key) for key in request.GET},
            "content_type": request.headers.get("content-type"),
            "body": body.decode(),
            "x_test": request.headers.get("x-test"),
        }
    )


async def upload(request: HttpRequest) -> HttpResponse:
    values: dict[str, list[str]] = {}
    files: dict[str, dict[str, str | None]] = {}
    async with request.form() as form:
        for name, value in form.multi_items():
            if isinstance(value, str):
                values.setdefault(name, []).append(value)
            else:
                content = (await value.read()).decode()
                files[name] = {"filename": value.filename, "content": content}
    return JsonResponse(
        {"content_type": request.headers["content-type"], "fields": {**values, **files}}
    )


def set_flavour(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("set")
    response.set_cookie("flavour", request.GET.get("flavour", "plain"))
    return response


def show_flavour(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.cookies.get("flavour", "none"))


def go_home(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/landing/")


def landing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("landed")


def big(request: HttpRequest) -> HttpResponse:
    return HttpResponse("x" * 5000, content_type="text/plain")


urlpatterns = [
    path("echo/", echo),
    path("upload/", upload),
    path("cookie/set/", set_flavour),
    path("cookie/show/", show_flavour),
    path("go/", go_home),
    path("landing/", landing),
    path("big/", big),
]
