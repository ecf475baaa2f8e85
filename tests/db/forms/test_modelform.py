"""ModelForm on every backend: derived fields, validation against the database, saving."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from djanco import forms
from djanco.core.exceptions import FieldError, ImproperlyConfigured
from djanco.db import DatabaseWrapper
from tests.db.forms.models import ALL, Book, Genre, Tag, Writer

pytestmark = pytest.mark.tables(*ALL)


class BookForm(forms.ModelForm[Book]):
    class Meta:
        model = Book
        fields = "__all__"


class WriterForm(forms.ModelForm[Writer]):
    class Meta:
        fields = ["name", "email"]


def writer(name: str = "Ann", email: str = "ann@example.com") -> Writer:
    return Writer.objects.create(name=name, email=email)


def book_data(author: Writer, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Dune",
        "slug": "dune",
        "summary": "",
        "genre": "f",
        "pages": "",
        "price": "9.99",
        "in_print": "on",
        "published": "",
        "writer": str(author.pk),
        "tags": [],
    }
    data.update(changes)
    return data


def test_fields_are_derived_from_the_model() -> None:
    fields = BookForm.base_fields
    assert list(fields) == [
        "title",
        "slug",
        "summary",
        "genre",
        "pages",
        "price",
        "in_print",
        "published",
        "writer",
        "tags",
    ]  # not the auto "id", nor the non-editable "added"
    assert isinstance(fields["title"], forms.CharField)
    assert fields["title"].required and fields["title"].help_text == "As printed on the cover"
    assert fields["title"].widget.attrs["maxlength"] == "100"
    assert isinstance(fields["slug"], forms.SlugField)
    assert isinstance(fields["summary"].widget, forms.Textarea)
    assert not fields["summary"].required
    genre = fields["genre"]
    assert isinstance(genre, forms.TypedChoiceField)
    assert list(genre.choices) == [("f", "Fiction"), ("p", "Poetry")]  # has a default: no blank
    assert genre.initial == Genre.FICTION
    pages = fields["pages"]
    assert isinstance(pages, forms.IntegerField) and pages.min_value == 0 and not pages.required
    price = fields["price"]
    assert isinstance(price, forms.DecimalField) and price.decimal_places == 2
    assert isinstance(fields["in_print"], forms.BooleanField)
    assert not fields["in_print"].required
    assert isinstance(fields["published"], forms.DateField)
    assert isinstance(fields["writer"], forms.ModelChoiceField)
    assert isinstance(fields["tags"], forms.ModelMultipleChoiceField)
    assert fields["title"].label == "Title"


def test_meta_options() -> None:
    class Custom(forms.ModelForm[Book]):
        summary = forms.CharField(max_length=10, required=True)

        class Meta:
            model = Book
            exclude = ["tags", "price"]
            widgets = {"title": forms.Textarea(attrs={"rows": 2})}
            labels = {"slug": "Address"}
            help_texts = {"slug": "Lower case"}
            error_messages = {"title": {"required": "A title, please."}}
            field_classes = {"slug": forms.CharField}

    fields = Custom.base_fields
    assert "tags" not in fields and "price" not in fields
    assert isinstance(fields["title"].widget, forms.Textarea)
    assert fields["title"].widget.attrs["rows"] == 2
    assert fields["slug"].label == "Address" and fields["slug"].help_text == "Lower case"
    assert isinstance(fields["summary"], forms.CharField) and fields["summary"].required
    assert type(fields["slug"]) is forms.CharField
    assert Custom({}).errors["title"] == ["A title, please."]


def test_configuration_errors() -> None:
    with pytest.raises(ImproperlyConfigured, match="needs updating"):

        class NoFields(forms.ModelForm[Book]):
            class Meta:
                model = Book

    with pytest.raises(FieldError, match=r"Unknown field\(s\) \(isbn\) specified for Book"):

        class Unknown(forms.ModelForm[Book]):
            class Meta:
                model = Book
                fields = ["title", "isbn"]

    with pytest.raises(FieldError, match="'added' cannot be specified for Book model form"):

        class NotEditable(forms.ModelForm[Book]):
            class Meta:
                model = Book
                fields = ["added"]

    with pytest.raises(TypeError, match="should be a list or tuple"):

        class Stringy(forms.ModelForm[Book]):
            class Meta:
                model = Book
                fields = "title"


def test_model_comes_from_the_type_argument() -> None:
    assert WriterForm._meta.model is Writer
    assert list(WriterForm.base_fields) == ["name", "email"]


def test_create_and_save(connection: DatabaseWrapper) -> None:
    ann = writer()
    poetry = Tag.objects.create(label="poetry")
    form = BookForm(book_data(ann, tags=[str(poetry.pk)], pages="412", published="1965-08-01"))
    assert form.is_valid(), form.errors
    book = form.save()
    assert book.pk is not None
    stored = Book.objects.get(pk=book.pk)
    assert (stored.title, stored.pages, stored.price) == ("Dune", 412, decimal.Decimal("9.99"))
    assert stored.published == dt.date(1965, 8, 1)
    assert stored.writer == ann
    assert [tag.label for tag in stored.tags.all()] == ["poetry"]


def test_edit_an_instance(connection: DatabaseWrapper) -> None:
    ann = writer()
    book = Book.objects.create(title="Dune", slug="dune", writer=ann)
    unbound = BookForm(instance=book)
    assert unbound["title"].value() == "Dune"
    assert unbound["writer"].value() == ann.pk
    assert f'<option value="{ann.pk}" selected>Ann</option>' in str(unbound["writer"])
    form = BookForm(book_data(ann, title="Dune Messiah"), instance=book)
    assert form.is_valid(), form.errors
    assert form.has_changed() and "title" in form.changed_data
    saved = form.save()
    assert saved is book
    assert Book.objects.get(pk=book.pk).title == "Dune Messiah"
    assert Book.objects.count() == 1


def test_save_commit_false_then_save_m2m(connection: DatabaseWrapper) -> None:
    ann = writer()
    tag = Tag.objects.create(label="classic")
    form = BookForm(book_data(ann, tags=[str(tag.pk)]))
    book = form.save(commit=False)
    assert book.pk is None
    book.summary = "Set in code"
    book.save()
    form.save_m2m()
    assert list(Book.objects.get(pk=book.pk).tags.all()) == [tag]


def test_unique_field_is_checked_against_the_database(connection: DatabaseWrapper) -> None:
    ann = writer()
    Book.objects.create(title="Dune", slug="dune", writer=ann)
    form = BookForm(book_data(ann, title="Other"))
    assert not form.is_valid()
    assert form.errors == {"slug": ["Book with this Slug already exists."]}
    same = Book.objects.get(slug="dune")
    assert BookForm(book_data(ann), instance=same).is_valid()  # its own row is not a clash


def test_unique_together_is_checked(connection: DatabaseWrapper) -> None:
    ann = writer()
    Book.objects.create(title="Dune", slug="dune", writer=ann)
    form = BookForm(book_data(ann, slug="dune-2"))
    assert not form.is_valid()
    assert form.non_field_errors() == ["Book with this Writer and Title already exists."]
    other = writer("Bob", "bob@example.com")
    assert BookForm(book_data(other, slug="dune-2")).is_valid()


def test_model_validation_and_validators_reach_the_form(connection: DatabaseWrapper) -> None:
    ann = writer()
    form = BookForm(book_data(ann, published="2500-01-01"))
    assert form.errors == {"published": ["Too far in the future."]}
    short = WriterForm({"name": "A", "email": "a@example.com"})
    assert short.errors == {"name": ["Ensure this value has at least 2 characters (it has 1)."]}


def test_invalid_model_choice(connection: DatabaseWrapper) -> None:
    ann = writer()
    for bad in ["999999", "abc", "1.5", "99999999999999999999999"]:
        form = BookForm(book_data(ann, writer=bad))
        assert form.errors["writer"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ], bad
    tags = BookForm(book_data(ann, tags=["abc"]))
    assert tags.errors["tags"] == ["“abc” is not a valid value."]
    missing = BookForm(book_data(ann, tags=["424242"]))
    assert missing.errors["tags"] == [
        "Select a valid choice. 424242 is not one of the available choices."
    ]
    # The database is still usable afterwards (no aborted transaction).
    assert Writer.objects.count() == 1


def test_save_refuses_invalid_data(connection: DatabaseWrapper) -> None:
    form = BookForm({})
    with pytest.raises(ValueError, match="The Book could not be created because the data"):
        form.save()


def test_modelform_factory(connection: DatabaseWrapper) -> None:
    Form = forms.modelform_factory(Writer, fields=["name"], labels={"name": "Pen name"})
    assert Form.__name__ == "WriterForm"
    assert list(Form.base_fields) == ["name"]
    assert Form.base_fields["name"].label == "Pen name"
    saved = Form({"name": "Cy"}, instance=Writer(email="cy@example.com")).save()
    assert Writer.objects.get(pk=saved.pk).name == "Cy"
    with pytest.raises(ImproperlyConfigured, match="modelform_factory without defining"):
        forms.modelform_factory(Writer)


def test_model_to_dict_and_custom_registration(connection: DatabaseWrapper) -> None:
    ann = writer()
    book = Book.objects.create(title="Dune", slug="dune", writer=ann)
    tag = Tag.objects.create(label="sf")
    book.tags.add(tag)
    data = forms.model_to_dict(book, fields=["title", "writer", "tags"])
    assert data == {"title": "Dune", "writer": ann.pk, "tags": [tag]}


async def test_async_validate_and_save(connection: DatabaseWrapper) -> None:
    ann = await Writer.objects.acreate(name="Ann", email="ann@example.com")
    tag = await Tag.objects.acreate(label="sf")
    await Book.objects.acreate(title="Dune", slug="dune", writer=ann)
    clash = BookForm(book_data(ann, title="Other"))
    assert not await clash.ais_valid()
    assert clash.errors == {"slug": ["Book with this Slug already exists."]}
    form = BookForm(book_data(ann, title="Children of Dune", slug="children", tags=[str(tag.pk)]))
    assert await form.ais_valid(), form.errors
    book = await form.asave()
    stored = await Book.objects.aget(pk=book.pk)
    assert stored.title == "Children of Dune"
    assert [t.label async for t in stored.tags.all()] == ["sf"]


async def test_async_render_needs_aload(connection: DatabaseWrapper) -> None:
    ann = await Writer.objects.acreate(name="Ann", email="ann@example.com")
    book = await Book.objects.acreate(title="Dune", slug="dune", writer=ann)
    tag = await Tag.objects.acreate(label="sf")
    await book.tags.aadd(tag)
    form = BookForm(instance=book)
    await form.aload()
    html = str(form)  # no query left to run inside the event loop
    assert f'<option value="{ann.pk}" selected>Ann</option>' in html
    assert f'<option value="{tag.pk}" selected>sf</option>' in html


async def test_sync_validation_in_async_code_says_what_to_do(
    connection: DatabaseWrapper,
) -> None:
    ann = await Writer.objects.acreate(name="Ann", email="ann@example.com")
    form = BookForm(book_data(ann))
    with pytest.raises(Exception, match=r"await form\.ais_valid\(\)"):
        form.is_valid()


def test_optional_foreign_key_and_inline_changes(connection: DatabaseWrapper) -> None:
    class Minimal(forms.ModelForm[Book]):
        class Meta:
            model = Book
            fields = ["title", "slug", "writer"]

        def clean_title(self) -> Any:
            return str(self.cleaned_data["title"]).upper()

    ann = writer()
    form = Minimal({"title": "dune", "slug": "dune", "writer": str(ann.pk)})
    book = form.save()
    assert book.title == "DUNE"
    assert book.genre == Genre.FICTION  # left to the model's default
    assert book.price == 0


def test_declared_fields_keep_the_order_of_meta_fields() -> None:
    class Ordered(forms.ModelForm[Book]):
        confirm = forms.BooleanField(required=False)
        slug = forms.CharField(max_length=10)
        extra = forms.CharField(required=False)

        class Meta:
            model = Book
            fields = ["slug", "confirm", "title"]

    assert list(Ordered.base_fields) == ["slug", "confirm", "title", "extra"]
    assert Ordered.base_fields["slug"] is Ordered.slug
