"""Files: the ``File`` wrapper and the uploaded-file types forms and storages work with."""

from djanco.core.files.base import File
from djanco.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

__all__ = ["File", "SimpleUploadedFile", "UploadedFile"]
