"""Views exercising the handler: sync and async, errors of every kind, slow and lazy responses."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

from djanco.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from djanco.db import OperationalError, connections
from djanco.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from djanco.shortcuts import render
from djanco.templates import TemplateResponse
from djanco.urls import path
from djanco.views import View

slow_view_started = threading.Event()
view_threads: list[str] = []


def sync_hello(request: HttpRequest) -> HttpResponse:
    view_threads.append(threading.current_thread().name)
    return HttpResponse("hello from def")


async def async_hello(request: HttpRequest) -> HttpResponse:
    view_threads.append(threading.current_thread().name)
    return HttpResponse("hello from async def")


def item(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"item {pk} ({type(pk).__name__})")


async def echo_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"got": await request.json()})


async def body_size(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(await request.body())))


def query_sync(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(connections["default"].execute("SELECT 1").rows))


async def query_async(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str((await connections["default"].aexecute("SELECT 1")).rows))


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


class OnlyGet(View):
    async def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("got")


def slow_sync(request: HttpRequest) -> HttpResponse:
    slow_view_started.set()
    time.sleep(0.5)
    return HttpResponse("slow")


async def fast_async(request: HttpRequest) -> HttpResponse:
    await asyncio.sleep(0)
    return HttpResponse("fast")


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404("No article matches the <given> query.")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("members only")


def bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest("the 'page' parameter must be a number")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered signature")


async def boom(request: HttpRequest) -> HttpResponse:
    secret_token = request.headers.get("x-token")  # noqa: F841 - the debug page masks it
    raise ValueError("broken <script>alert(1)</script>")


def returns_none(request: HttpRequest) -> None:
    return None


def forgot_await(request: HttpRequest) -> object:
    return fast_async(request)


def template_view(request: HttpRequest) -> TemplateResponse:
    return render(request, "greet.html", {"name": "<Ada>"})


async def streamed(request: HttpRequest) -> StreamingHttpResponse:
    async def chunks() -> AsyncIterator[str]:
        for index in range(3):
            yield f"chunk {index};"

    return StreamingHttpResponse(chunks())


urlpatterns = [
    path("sync/", sync_hello, name="sync"),
    path("async/", async_hello, name="async"),
    path("items/<int:pk>/", item, name="item"),
    path("echo/", echo_json, name="echo"),
    path("body-size/", body_size),
    path("query-sync/", query_sync),
    path("query-async/", query_async),
    path("database-gone/", database_gone),
    path("only-get/", OnlyGet.as_view(), name="only-get"),
    path("slow/", slow_sync),
    path("fast/", fast_async),
    path("missing/", missing),
    path("forbidden/", forbidden),
    path("bad/", bad_request),
    path("suspicious/", suspicious),
    path("boom/", boom, name="boom"),
    path("none/", returns_none),
    path("forgot-await/", forgot_await),
    path("template/", template_view),
    path("stream/", streamed),
]
