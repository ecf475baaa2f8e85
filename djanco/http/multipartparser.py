"""Parsing a form body into ``request.POST`` and ``request.FILES`` within the upload limits.

An urlencoded body is parsed from memory (``request.body()`` read it within
DATA_UPLOAD_MAX_MEMORY_SIZE). A multipart body is parsed as it arrives: fields are kept in
memory, and together may not pass DATA_UPLOAD_MAX_MEMORY_SIZE; each file is kept in memory up
to FILE_UPLOAD_MAX_MEMORY_SIZE and past that written to a temporary file. At most
DATA_UPLOAD_MAX_NUMBER_FIELDS fields and DATA_UPLOAD_MAX_NUMBER_FILES files are taken.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import IO, TYPE_CHECKING, TypeAlias
from urllib.parse import parse_qsl

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from djanco.conf import settings
from djanco.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from djanco.core.files import InMemoryUploadedFile, TemporaryUploadedFile, UploadedFile
from djanco.http.querydict import MultiValueDict, QueryDict

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

Files: TypeAlias = MultiValueDict[str, UploadedFile]
"""What ``request.FILES`` is: each file field's uploads, by field name."""


class MultiPartParserError(BadRequest):
    """A multipart body that cannot be parsed (no boundary, cut short, garbled); a 400."""


def parse_urlencoded(body: bytes, encoding: str) -> QueryDict:
    """The fields of an ``application/x-www-form-urlencoded`` body, in ``encoding``.

    More than DATA_UPLOAD_MAX_NUMBER_FIELDS fields raise TooManyFieldsSent.
    """
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:  # percent-escapes are ASCII; raw bytes come from odd clients
        text = body.decode("iso-8859-1")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    try:
        pairs = parse_qsl(
            text, keep_blank_values=True, encoding=encoding, errors="replace", max_num_fields=limit
        )
    except ValueError:  # parse_qsl's way of saying there are more than max_num_fields
        raise TooManyFieldsSent(_too_many_fields(limit)) from None
    return QueryDict(pairs)


class MultiPartParser:
    """Reads one ``multipart/form-data`` body into its fields and files.

    ``await MultiPartParser(content_type, encoding).parse(stream)`` returns
    ``(fields, files)``. A file part without a file name (an empty file input) is left out,
    as are parts that are not form data or have no name. On any error the temporary files
    made so far are deleted.
    """

    def __init__(self, content_type: str, encoding: str) -> None:
        _, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if not boundary or len(boundary) > 200:  # RFC 2046: at most 70 characters
            raise MultiPartParserError(f"Invalid boundary in multipart: {boundary!r}")
        self._boundary = boundary
        self._encoding = encoding
        self._memory_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self._field_limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self._file_limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        self._fields: list[tuple[str, str]] = []
        self._files: list[tuple[str, _FileUpload]] = []
        self._memory_used = 0  # bytes of fields and part headers held in memory
        self._file_count = 0
        self._complete = False
        # The part being parsed.
        self._headers: list[tuple[bytes, bytes]] = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._field_name: str | None = None  # None: a part that is skipped
        self._field_value = bytearray()
        self._upload: _FileUpload | None = None
        self._file_data: list[tuple[_FileUpload, bytes]] = []  # written after each chunk

    async def parse(self, stream: AsyncIterator[bytes]) -> tuple[QueryDict, Files]:
        callbacks: MultipartCallbacks = {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        }
        parser = MultipartParser(self._boundary, callbacks)
        received = 0
        try:
            async for chunk in stream:
                received += len(chunk)
                parser.write(chunk)
                # File data is written here, not in the parser's callbacks, so that writing
                # to a temporary file can leave the event loop.
                for upload, data in self._file_data:
                    await upload.write(data)
                self._file_data.clear()
            parser.finalize()
            if received and not self._complete:
                raise MultiPartParserError(
                    "Malformed multipart body: it ended before its closing boundary"
                )
        except MultipartParseError as exc:
            self._discard()
            raise MultiPartParserError(f"Malformed multipart body: {exc}") from None
        except BaseException:
            self._discard()
            raise
        files = MultiValueDict([(name, upload.finish()) for name, upload in self._files])
        return QueryDict(self._fields), files

    # The parser's callbacks, in the order it calls them for each part.

    def _on_part_begin(self) -> None:
        self._headers = []
        self._field_name = None
        self._field_value = bytearray()
        self._upload = None

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._hold(end - start)
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._hold(end - start)
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers.append((bytes(self._header_name).lower(), bytes(self._header_value)))
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        headers = dict(self._headers)
        disposition, options = parse_options_header(headers.get(b"content-disposition"))
        name = options.get(b"name")
        if disposition != b"form-data" or name is None:
            return  # Django ignores such parts too
        if b"filename" not in options:
            self._count_field()
            self._field_name = self._decode(name)
            return
        file_name = self._decode(options[b"filename"])
        if not file_name:
            return  # a file input left empty: no file was chosen
        self._file_count += 1
        if self._file_limit is not None and self._file_count > self._file_limit:
            raise TooManyFilesSent(
                f"The form has more than DATA_UPLOAD_MAX_NUMBER_FILES ({self._file_limit}) files."
            )
        content_type, type_params = parse_options_header(headers.get(b"content-type"))
        params = {key.decode("latin-1"): self._decode(value) for key, value in type_params.items()}
        charset = params.pop("charset", None)
        self._upload = _FileUpload(
            self._decode(name),
            file_name,
            content_type.decode("latin-1") or "application/octet-stream",
            charset,
            params,
        )
        self._files.append((self._upload.field_name, self._upload))

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._upload is not None:
            self._file_data.append((self._upload, data[start:end]))
        elif self._field_name is not None:
            self._hold(end - start)
            self._field_value += data[start:end]

    def _on_part_end(self) -> None:
        if self._upload is None and self._field_name is not None:
            self._fields.append((self._field_name, self._decode(self._field_value)))

    def _on_end(self) -> None:
        self._complete = True

    # Helpers.

    def _hold(self, size: int) -> None:
        """Count ``size`` more bytes kept in memory against DATA_UPLOAD_MAX_MEMORY_SIZE."""
        self._memory_used += size
        limit = self._memory_limit
        if limit is not None and self._memory_used > limit:
            raise RequestDataTooBig(
                f"The form's fields are larger than DATA_UPLOAD_MAX_MEMORY_SIZE ({limit} bytes); "
                "files are not counted, they go to temporary files"
            )

    def _count_field(self) -> None:
        limit = self._field_limit
        if limit is not None and len(self._fields) >= limit:
            raise TooManyFieldsSent(_too_many_fields(limit))

    def _decode(self, data: bytes | bytearray) -> str:
        return data.decode(self._encoding, errors="replace")

    def _discard(self) -> None:
        for _, upload in self._files:
            upload.discard()


class _FileUpload:
    """One file as it arrives: in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then moved to a
    temporary file."""

    def __init__(
        self,
        field_name: str,
        name: str,
        content_type: str,
        charset: str | None,
        content_type_extra: dict[str, str],
    ) -> None:
        self.field_name = field_name
        self._name = name
        self._content_type = content_type
        self._charset = charset
        self._extra = content_type_extra
        self._memory_limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        self._buffer = io.BytesIO()
        self._temporary: TemporaryUploadedFile | None = None
        self._size = 0

    async def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._temporary is None and self._size <= self._memory_limit:
            self._buffer.write(data)
            return
        if self._temporary is None:
            self._temporary = await run_in_threadpool(
                TemporaryUploadedFile,
                self._name,
                self._content_type,
                None,
                self._charset,
                self._extra,
            )
            data = self._buffer.getvalue() + data
            self._buffer = io.BytesIO()
        await run_in_threadpool(self._handle().write, data)

    def finish(self) -> UploadedFile:
        """The upload, its content read from the start."""
        if self._temporary is None:
            self._buffer.seek(0)
            return InMemoryUploadedFile(
                self._buffer,
                self.field_name,
                self._name,
                self._content_type,
                self._size,
                self._charset,
                self._extra,
            )
        file = self._handle()
        file.flush()
        file.seek(0)
        self._temporary.size = self._size
        return self._temporary

    def discard(self) -> None:
        if self._temporary is not None:
            self._temporary.close()

    def _handle(self) -> IO[bytes]:
        assert self._temporary is not None and self._temporary.file is not None
        return self._temporary.file


def _too_many_fields(limit: int | None) -> str:
    return f"The form has more than DATA_UPLOAD_MAX_NUMBER_FIELDS ({limit}) fields."
