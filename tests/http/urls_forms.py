"""Views reading request.POST and request.FILES, as def and async def views."""

from __future__ import annotations

import hashlib
import os

from djanco import forms
from djanco.core.files import TemporaryUploadedFile, UploadedFile
from djanco.http import HttpRequest, HttpResponse, JsonResponse
from djanco.urls import path


def vote(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.method} choice={request.POST['choice']}")


async def avote(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.method} choice={request.POST['choice']}")


def describe(upload: UploadedFile) -> dict[str, object]:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    temporary = isinstance(upload, TemporaryUploadedFile)
    return {
        "name": upload.name,
        "size": upload.size,
        "content_type": upload.content_type,
        "charset": upload.charset,
        "sha256": digest.hexdigest(),
        "temporary": upload.temporary_file_path() if temporary else None,
        "temporary_dir": os.path.dirname(upload.temporary_file_path()) if temporary else None,
    }


def form_data(request: HttpRequest) -> dict[str, object]:
    return {
        "fields": request.POST.lists(),
        "files": {name: [describe(f) for f in files] for name, files in request.FILES.lists()},
    }


def upload(request: HttpRequest) -> JsonResponse:
    return JsonResponse(form_data(request))


async def aupload(request: HttpRequest) -> JsonResponse:
    return JsonResponse(form_data(request))


async def json_body(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"post": request.POST.dict(), "json": await request.json()})


class ReportForm(forms.Form):
    title = forms.CharField(max_length=50)
    report = forms.FileField(max_size=1000)


def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    upload = form.report.cleaned_value
    return HttpResponse(f"{form.title.cleaned_value}: {upload.name}, {upload.size} bytes")


async def areport(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST, request.FILES)
    if not await form.ais_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    upload = form.report.cleaned_value
    return HttpResponse(f"{form.title.cleaned_value}: {upload.name}, {upload.size} bytes")


urlpatterns = [
    path("vote/", vote),
    path("avote/", avote),
    path("upload/", upload),
    path("aupload/", aupload),
    path("json/", json_body),
    path("report/", report),
    path("areport/", areport),
]
