"""djanco.core.files: File's reading helpers and UploadedFile's name sanitising."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from djanco.core.files import File, SimpleUploadedFile, UploadedFile


def test_file_size_chunks_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"one\ntwo\r\nthree")
    with path.open("rb") as handle:
        file = File(handle)
        assert file.name == str(path)
        assert file.size == 14
        assert list(file.chunks(chunk_size=5)) == [b"one\nt", b"wo\r\nt", b"hree"]
        assert list(file) == [b"one\n", b"two\r\n", b"three"]
        assert file.multiple_chunks(chunk_size=5)
        assert not file.multiple_chunks()
    assert file.closed


def test_lines_split_across_chunks() -> None:
    file = File(io.BytesIO(b"ab\r\ncd\n"), name="x")
    file.DEFAULT_CHUNK_SIZE = 3  # "ab\r" | "\ncd" | "\n"
    assert list(file) == [b"ab\r\n", b"cd\n"]


def test_size_of_an_in_memory_file_keeps_the_position() -> None:
    file = File(io.BytesIO(b"abcdef"), name="x")
    file.read(2)
    assert file.size == 6
    assert file.read() == b"cdef"


def test_a_file_without_a_name_is_false() -> None:
    assert not File(io.BytesIO(b"x"))
    assert File(io.BytesIO(b"x"), name="a")


def test_simple_uploaded_file() -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    assert (upload.name, upload.size, upload.content_type) == ("notes.txt", 5, "text/plain")
    assert upload.read() == b"hello"
    assert b"".join(upload.chunks()) == b"hello"  # from the start again


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("/abs/path.png", "path.png"),
        ("..", ""),
        ("a" * 300 + ".txt", "a" * 251 + ".txt"),
    ],
)
def test_uploaded_names_lose_their_directories(given: str, kept: str) -> None:
    assert UploadedFile(io.BytesIO(b""), name=given).name == kept
