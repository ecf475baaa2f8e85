"""Static checks of request.POST, request.FILES and the form-data accessor (mypy and pyright).

Never run: the checkers read it. An expected error is written with a `# type: ignore[code]`
comment, which both checkers report as unnecessary if the error ever goes away.
"""

from __future__ import annotations

from typing import assert_type

from djanco.core.files import UploadedFile
from djanco.http import HttpRequest, MultiValueDict, QueryDict


def check_post(request: HttpRequest) -> None:
    assert_type(request.POST, QueryDict)
    assert_type(request.POST["choice"], str)
    assert_type(request.POST.get("choice"), str | None)
    assert_type(request.POST.getlist("tag"), list[str])
    assert_type(request.POST.dict(), dict[str, str])
    assert_type(request.content_type, str)
    assert_type(request.method, str)


def check_files(request: HttpRequest) -> None:
    assert_type(request.FILES, MultiValueDict[str, UploadedFile])
    upload = request.FILES["photo"]
    assert_type(upload, UploadedFile)
    assert_type(upload.name, str | None)
    assert_type(upload.size, int)
    assert_type(upload.content_type, str | None)
    assert_type(upload.read(), bytes)
    assert_type(upload.multiple_chunks(), bool)
    for chunk in upload.chunks():
        assert_type(chunk, bytes)
    assert_type(request.FILES.getlist("photo"), list[UploadedFile])
    assert_type(request.FILES.get("photo"), UploadedFile | None)


async def check_the_accessor_must_be_awaited(request: HttpRequest) -> None:
    assert_type(await request.aload_post_and_files(), None)
    request.aload_post_and_files()["choice"]  # type: ignore[index]  # a coroutine, not data


def check_post_is_read_only(request: HttpRequest) -> None:
    request.POST["choice"] = "1"  # type: ignore[index]  # copy() it first, as in Django
