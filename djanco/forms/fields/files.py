"""FileField and ImageField: uploaded files, with a size limit (``max_size``, in bytes).

They read ``form.files`` (``request.FILES``), holding ``djanco.core.files.UploadedFile``
objects. An optional field cleans to None when nothing was uploaded, or to False when the
"Clear" box of its ClearableFileInput was ticked (remove the current file), as in Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from typing_extensions import Unpack

from djanco.core import validators as v
from djanco.core.exceptions import ValidationError
from djanco.core.files import File
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import FILE_INPUT_CONTRADICTION, ClearableFileInput

__all__ = ["FileField", "ImageField", "filesize_text"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_OptionalFile = File | Literal[False] | None


def filesize_text(size: float) -> str:
    """A byte count for people: ``"512 bytes"``, ``"1.5 KB"``, ``"2.0 MB"`` (powers of 1024)."""
    if size < 1024:
        return f"{int(size)} byte{'' if size == 1 else 's'}"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            break
    return f"{size:.1f} {unit}"


class FileField(Field[_T]):
    """An uploaded file: a ``djanco.core.files.File`` (an ``UploadedFile`` when new).

    ``max_length`` limits the file name, ``max_size`` the content (bytes); an empty file is
    refused unless ``allow_empty_file``.
    """

    default_widget = ClearableFileInput
    default_error_messages = {
        "invalid": "No file was submitted. Check the encoding type on the form.",
        "missing": "No file was submitted.",
        "empty": "The submitted file is empty.",
        "max_length": "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max_size": "Ensure this file is at most %(max)s (it is %(size)s).",
        "contradiction": "Please either submit a file or check the clear checkbox, not both.",
    }

    @overload
    def __init__(
        self: FileField[File],
        *,
        required: Literal[True] = True,
        max_length: int | None = None,
        max_size: int | None = None,
        allow_empty_file: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: FileField[_OptionalFile],
        *,
        required: bool,
        max_length: int | None = None,
        max_size: int | None = None,
        allow_empty_file: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        max_length: int | None = None,
        max_size: int | None = None,
        allow_empty_file: bool = False,
        **options: Unpack[FieldOptions],
    ) -> None:
        self.max_length = max_length
        self.max_size = max_size
        self.allow_empty_file = allow_empty_file
        super().__init__(required=required, **options)

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        name, size = getattr(value, "name", None), getattr(value, "size", None)
        if not isinstance(name, str) or not isinstance(size, int):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.max_length is not None and len(name) > self.max_length:
            raise ValidationError(
                self.error_messages["max_length"],
                code="max_length",
                params={"max": self.max_length, "length": len(name)},
            )
        if not name:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not size and not self.allow_empty_file:
            raise ValidationError(self.error_messages["empty"], code="empty")
        if self.max_size is not None and size > self.max_size:
            raise ValidationError(
                self.error_messages["max_size"],
                code="max_size",
                params={"max": filesize_text(self.max_size), "size": filesize_text(size)},
            )
        return value

    def clean(self, value: object, initial: object = None) -> object:
        """The upload; the ``initial`` file when nothing new came; False for "clear"."""
        if value is FILE_INPUT_CONTRADICTION:
            raise ValidationError(self.error_messages["contradiction"], code="contradiction")
        if value is False:
            if not self.required:
                return False  # "clear" ticked: the caller removes the current file
            value = None  # a required file cannot be cleared
        if not value and initial:
            return initial
        return super().clean(value)

    def bound_data(self, data: object, initial: object) -> object:
        if data is None or data is FILE_INPUT_CONTRADICTION:
            return initial
        return data

    def has_changed(self, initial: object, data: object) -> bool:
        return not self.disabled and data is not None


_IMAGE_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"BM", "image/bmp"),
    (0, b"\x00\x00\x01\x00", "image/x-icon"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (4, b"ftypavif", "image/avif"),
)
IMAGE_EXTENSIONS = ("avif", "bmp", "gif", "ico", "jpeg", "jpg", "png", "tif", "tiff", "webp")


def sniff_image_type(header: bytes) -> str | None:
    """The MIME type of the image format ``header`` (a file's first bytes) starts, if any."""
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":  # the length comes between
        return "image/webp"
    for offset, signature, mime in _IMAGE_SIGNATURES:
        if header[offset : offset + len(signature)] == signature:
            return mime
    return None


class ImageField(FileField[_T]):
    """An uploaded image (PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or AVIF).

    The content is checked, not just the name: the file must start like an image of a known
    format, and its ``content_type`` is set from what was found, not from what the client said.
    """

    default_validators = (v.FileExtensionValidator(IMAGE_EXTENSIONS),)
    default_error_messages = {
        "invalid_image": (
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image."
        ),
    }

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: ImageField[File],
            *,
            required: Literal[True] = True,
            max_length: int | None = None,
            max_size: int | None = None,
            allow_empty_file: bool = False,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        @overload
        def __init__(
            self: ImageField[_OptionalFile],
            *,
            required: bool,
            max_length: int | None = None,
            max_size: int | None = None,
            allow_empty_file: bool = False,
            **options: Unpack[FieldOptions],
        ) -> None: ...
        def __init__(self, **kwargs: Any) -> None: ...

    def to_python(self, value: object) -> object:
        upload = super().to_python(value)
        if upload is None:
            return None
        mime = sniff_image_type(_header(upload))
        if mime is None:
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        if hasattr(upload, "content_type"):
            upload.content_type = mime
        return upload


def _header(upload: object, length: int = 16) -> bytes:
    """The first ``length`` bytes of an uploaded file, leaving it at its start."""
    if not isinstance(upload, File) or upload.file is None:
        return b""
    upload.seek(0)
    header = upload.read(length)
    upload.seek(0)
    return header
