"""FileField and ImageField with uploaded files: limits, clearing, content checks."""

from __future__ import annotations

import pytest

from djanco import forms
from djanco.core.exceptions import ValidationError
from djanco.core.files import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32


class Attachment(forms.Form):
    document = forms.FileField(max_size=1024, max_length=20)
    picture = forms.ImageField(required=False)


def test_an_upload_is_cleaned_to_the_file() -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello")
    form = Attachment({}, {"document": upload})
    assert form.is_valid(), form.errors
    assert form.document.cleaned_value is upload
    assert form.cleaned_data["picture"] is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "This field is required."),
        (SimpleUploadedFile("empty.txt", b""), "The submitted file is empty."),
        (
            SimpleUploadedFile("big.bin", b"x" * 2048),
            "Ensure this file is at most 1.0 KB (it is 2.0 KB).",
        ),
        (
            SimpleUploadedFile("a-very-long-file-name.txt", b"x"),
            "Ensure this filename has at most 20 characters (it has 25).",
        ),
        ("just text", "No file was submitted. Check the encoding type on the form."),
    ],
)
def test_refused_uploads(upload: object, message: str) -> None:
    files = {} if upload is None else {"document": upload}
    form = Attachment({}, files)
    assert form.errors["document"] == [message]


def test_files_come_from_files_not_data() -> None:
    form = Attachment({"document": "notes.txt"})
    assert form.errors["document"] == ["This field is required."]


def test_image_content_is_checked_and_its_type_detected() -> None:
    disguised = SimpleUploadedFile("cat.png", b"MZ\x90\x00 not an image", "image/png")
    form = Attachment({}, {"document": SimpleUploadedFile("a.txt", b"x"), "picture": disguised})
    assert form.errors["picture"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    claimed_png = SimpleUploadedFile("cat.png", GIF, "image/png")
    form = Attachment({}, {"document": SimpleUploadedFile("a.txt", b"x"), "picture": claimed_png})
    assert form.is_valid()
    assert claimed_png.content_type == "image/gif"
    assert claimed_png.read() == GIF  # left at the start for whoever stores it


def test_image_extension_is_checked() -> None:
    field = forms.ImageField()
    with pytest.raises(ValidationError, match="File extension “exe” is not allowed"):
        field.clean(SimpleUploadedFile("x.exe", PNG))


def test_initial_file_is_kept_and_clear_checkbox() -> None:
    class Profile(forms.Form):
        avatar = forms.ImageField(required=False)

    current = SimpleUploadedFile("old.png", PNG)
    kept = Profile({}, {}, initial={"avatar": current})
    assert kept.is_valid()
    assert kept.cleaned_data["avatar"] is current
    cleared = Profile({"avatar-clear": "on"}, {}, initial={"avatar": current})
    assert cleared.is_valid()
    assert cleared.cleaned_data["avatar"] is False
    both = Profile({"avatar-clear": "on"}, {"avatar": SimpleUploadedFile("n.png", PNG)})
    assert both.errors["avatar"] == [
        "Please either submit a file or check the clear checkbox, not both."
    ]
    assert not kept.has_changed()
