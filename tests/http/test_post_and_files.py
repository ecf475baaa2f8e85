"""request.POST and request.FILES as Django users read them, in def and async def views: the
handler reads form bodies before the view runs, within the upload limits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import anyio.to_thread
import pytest

from djanco.core.exceptions import SynchronousOnlyOperation
from djanco.core.files import InMemoryUploadedFile, UploadedFile
from djanco.http import MultiValueDict, QueryDict
from djanco.test import Client
from tests.handlers.support import SetSettings
from tests.http.factory import MULTIPART, make_request, multipart_body

KB = 1024


@pytest.fixture
def client(set_settings: SetSettings) -> Iterator[Client]:
    set_settings(ROOT_URLCONF="tests.http.urls_forms")
    with Client() as test_client:
        yield test_client


@pytest.fixture(params=["", "a"], ids=["def view", "async def view"])
def view(request: pytest.FixtureRequest) -> str:
    """The prefix of the view's URL: "" for the def view, "a" for the async def one."""
    prefix: str = request.param
    return prefix


def test_a_posted_form_is_read_as_in_the_tutorial(client: Client, view: str) -> None:
    response = client.post(f"/{view}vote/", {"choice": "3"})
    assert response.status_code == 200
    assert response.text == "POST choice=3"


def test_fields_and_files_of_a_multipart_form(client: Client, view: str) -> None:
    response = client.post(
        f"/{view}upload/",
        {"title": "Holiday", "tag": ["sea", "sun"]},
        files={
            "photo": ("beach.jpg", b"\xff\xd8jpeg", "image/jpeg"),
            "notes": ("notes.txt", "é".encode(), "text/plain; charset=utf-8"),
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["fields"] == [["title", ["Holiday"]], ["tag", ["sea", "sun"]]]
    photo = data["files"]["photo"][0]
    assert (photo["name"], photo["size"], photo["content_type"]) == ("beach.jpg", 6, "image/jpeg")
    assert photo["temporary"] is None  # small: kept in memory
    notes = data["files"]["notes"][0]
    assert (notes["content_type"], notes["charset"]) == ("text/plain", "utf-8")


def test_a_form_with_a_file_field_takes_post_and_files(client: Client, view: str) -> None:
    sent = client.post(f"/{view}report/", {"title": "Q3"}, files={"report": ("q3.txt", b"ok")})
    assert sent.status_code == 200, sent.text
    assert sent.text == "Q3: q3.txt, 2 bytes"
    too_big = client.post(
        f"/{view}report/", {"title": "Q3"}, files={"report": ("q3.txt", b"x" * 2000)}
    )
    assert too_big.status_code == 400
    assert "Ensure this file is at most" in too_big.text
    missing = client.post(f"/{view}report/", {"title": "Q3"})
    assert "report" in missing.text


def test_several_files_in_one_field(client: Client) -> None:
    body = multipart_body(files=[("many", "a.txt", b"a"), ("many", "b.txt", b"bb")])
    data = client.post("/upload/", body, content_type=MULTIPART).json()
    assert [upload["name"] for upload in data["files"]["many"]] == ["a.txt", "b.txt"]


def test_other_methods_and_content_types_leave_post_empty(client: Client) -> None:
    response = client.post("/json/", json={"choice": 1})
    assert response.json() == {"post": {}, "json": {"choice": 1}}  # the body is still there


def test_an_empty_file_input_sends_no_file(client: Client) -> None:
    body = multipart_body(files=[("photo", "", b"")])
    response = client.post("/upload/", body, content_type=MULTIPART)
    assert response.json() == {"fields": [], "files": {}}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("evil\x00.php.jpg", "evil.php.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("a" * 300 + ".txt", "a" * 251 + ".txt"),
    ],
)
def test_file_names_are_sanitised(client: Client, sent: str, kept: str) -> None:
    body = multipart_body(files=[("f", sent, b"data")])
    response = client.post("/upload/", body, content_type=MULTIPART)
    assert response.json()["files"]["f"][0]["name"] == kept


def test_a_file_over_file_upload_max_memory_size_goes_to_a_temporary_file(
    client: Client, view: str, set_settings: SetSettings, tmp_path: Path
) -> None:
    set_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10 * KB, FILE_UPLOAD_TEMP_DIR=tmp_path)
    content = os.urandom(100 * KB)
    response = client.post(
        f"/{view}upload/",
        files={"small": ("small.bin", b"x" * KB), "big": ("big.bin", content)},
    )
    files = response.json()["files"]
    assert files["small"][0]["temporary"] is None
    big = files["big"][0]
    assert big["size"] == 100 * KB
    assert big["temporary_dir"] == str(tmp_path)
    assert not os.path.exists(big["temporary"])  # deleted once the request was answered
    assert list(tmp_path.iterdir()) == []


def test_the_fields_of_a_multipart_form_count_against_the_memory_limit(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10 * KB, FILE_UPLOAD_MAX_MEMORY_SIZE=KB)
    big_file = client.post("/upload/", {"a": "x"}, files={"f": ("f.bin", b"x" * 50 * KB)})
    assert big_file.status_code == 200  # files are not counted
    big_field = client.post("/upload/", {"a": "x" * 11 * KB}, files={"f": ("f.bin", b"x")})
    assert big_field.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE (10240 bytes)" in big_field.text
    urlencoded = client.post("/upload/", {"a": "x" * 11 * KB})
    assert urlencoded.status_code == 413


@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
def test_too_many_fields_is_400(client: Client, set_settings: SetSettings, multipart: bool) -> None:
    set_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
    files = {"f": ("f.txt", b"x")} if multipart else None
    within = {f"field{index}": "v" for index in range(10)}
    assert client.post("/upload/", within, files=files).status_code == 200
    over = {f"field{index}": "v" for index in range(11)}
    response = client.post("/upload/", over, files=files)
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS (10)" in response.text


def test_too_many_files_is_400(client: Client, set_settings: SetSettings) -> None:
    set_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
    within = multipart_body(files=[("f", f"{index}.txt", b"x") for index in range(2)])
    assert client.post("/upload/", within, content_type=MULTIPART).status_code == 200
    over = multipart_body(files=[("f", f"{index}.txt", b"x") for index in range(3)])
    response = client.post("/upload/", over, content_type=MULTIPART)
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FILES (2)" in response.text


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("multipart/form-data", b"--x\r\n\r\n", "Invalid boundary in multipart: None"),
        ("multipart/form-data; boundary=XyZ", b"not multipart at all", "Malformed multipart"),
        (
            "multipart/form-data; boundary=XyZ",
            b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nunfinished',
            "ended before its closing boundary",
        ),
    ],
    ids=["no boundary", "garbage", "cut short"],
)
def test_a_malformed_multipart_body_is_400(
    client: Client, view: str, content_type: str, body: bytes, message: str
) -> None:
    response = client.post(f"/{view}upload/", body, content_type=content_type)
    assert response.status_code == 400
    assert message in response.text


def test_urlencoded_fields_are_decoded_with_the_declared_charset(client: Client) -> None:
    response = client.post(
        "/upload/",
        "name=Ren%E9&raw=caf\xe9".encode("latin-1"),
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )
    assert response.json()["fields"] == [["name", ["René"]], ["raw", ["café"]]]


# -- outside views -------------------------------------------------------------------------


URLENCODED = ("content-type", "application/x-www-form-urlencoded")


async def test_async_code_before_the_view_awaits_the_accessor() -> None:
    request = make_request("POST", body=b"choice=2&choice=3", headers=[URLENCODED])
    with pytest.raises(SynchronousOnlyOperation, match=r"await request.aload_post_and_files\(\)"):
        request.POST  # noqa: B018 - reading it is the test
    await request.aload_post_and_files()
    assert request.POST["choice"] == "3"
    assert request.POST.getlist("choice") == ["2", "3"]
    assert isinstance(request.POST, QueryDict)
    assert isinstance(request.FILES, MultiValueDict)
    assert len(request.FILES) == 0


async def test_sync_code_in_a_worker_thread_reads_the_body_itself() -> None:
    request = make_request("POST", body=b"choice=5", headers=[URLENCODED])
    post = await anyio.to_thread.run_sync(lambda: request.POST)
    assert post["choice"] == "5"


async def test_a_get_request_has_an_empty_post_without_reading_anything() -> None:
    request = make_request("GET", query="choice=1")
    assert request.POST == QueryDict()
    assert request.GET["choice"] == "1"


async def test_uploaded_files_are_closed_with_the_request() -> None:
    body = multipart_body(files=[("f", "a.txt", b"hi")])
    request = make_request("POST", body=body, headers=[("content-type", MULTIPART)])
    await request.aload_post_and_files()
    upload = request.FILES["f"]
    assert isinstance(upload, InMemoryUploadedFile)
    assert isinstance(upload, UploadedFile)
    assert (upload.field_name, upload.read()) == ("f", b"hi")
    await request.close()
    assert upload.closed


def test_content_params_and_encoding() -> None:
    request = make_request(headers=[("content-type", "text/plain; charset=ISO-8859-1; a=b")])
    assert request.content_type == "text/plain"
    assert request.content_params == {"charset": "ISO-8859-1", "a": "b"}
    assert request.encoding == "iso8859-1"
    assert make_request(headers=[("content-type", "text/plain; charset=nope")]).encoding == "utf-8"
