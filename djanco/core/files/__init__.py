"""Files: the ``File`` wrapper and the uploaded-file types forms and storages work with."""

from djanco.core.files.base import File
from djanco.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)

__all__ = [
    "File",
    "InMemoryUploadedFile",
    "SimpleUploadedFile",
    "TemporaryUploadedFile",
    "UploadedFile",
]
