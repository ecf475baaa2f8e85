"""modelformset_factory and inlineformset_factory on every backend."""

from __future__ import annotations

import pytest

from djanco import forms
from djanco.core.exceptions import ImproperlyConfigured
from djanco.db import DatabaseWrapper
from tests.db.forms.models import ALL, Book, Tag, Writer

pytestmark = pytest.mark.tables(*ALL)

WriterFormSet = forms.modelformset_factory(
    Writer, fields=["name", "email"], extra=1, can_delete=True
)
BookInline = forms.inlineformset_factory(Writer, Book, fields=["title", "slug"], extra=1)


def management(prefix: str, total: int, initial: int) -> dict[str, object]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def test_unbound_model_formset_lists_the_queryset(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    Writer.objects.create(name="Bob", email="bob@example.com")
    formset = WriterFormSet()
    assert formset.initial_form_count() == 2
    assert len(formset) == 3
    assert formset.forms[0].instance == ann
    html = str(formset)
    assert f'<input type="hidden" name="form-0-id" value="{ann.pk}" id="id_form-0-id">' in html
    assert 'value="Ann"' in html
    assert 'name="form-INITIAL_FORMS" value="2"' in html
    only_bob = WriterFormSet(queryset=Writer.objects.filter(name="Bob"))
    assert [form.instance.name for form in only_bob.initial_forms] == ["Bob"]


def test_edit_add_and_delete(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    bob = Writer.objects.create(name="Bob", email="bob@example.com")
    data = {
        **management("form", 3, 2),
        "form-0-id": str(ann.pk),
        "form-0-name": "Anne",
        "form-0-email": "ann@example.com",
        "form-1-id": str(bob.pk),
        "form-1-name": "Bob",
        "form-1-email": "bob@example.com",
        "form-1-DELETE": "on",
        "form-2-name": "Cy",
        "form-2-email": "cy@example.com",
    }
    formset = WriterFormSet(data)
    assert formset.is_valid(), (formset.errors, formset.non_form_errors())
    saved = formset.save()
    assert [w.name for w in saved] == ["Anne", "Cy"]
    assert [w.name for w in formset.deleted_objects] == ["Bob"]
    assert formset.changed_objects == [(ann, ["name"])]
    assert sorted(Writer.objects.values_list("name", flat=True)) == ["Anne", "Cy"]


def test_duplicates_across_forms_and_against_the_database(connection: DatabaseWrapper) -> None:
    Writer.objects.create(name="Ann", email="ann@example.com")
    twice = {
        **management("form", 2, 0),
        "form-0-name": "Cy",
        "form-0-email": "cy@example.com",
        "form-1-name": "Di",
        "form-1-email": "cy@example.com",
    }
    formset = forms.modelformset_factory(Writer, fields=["name", "email"], extra=0)(
        twice, queryset=Writer.objects.none()
    )
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Please correct the duplicate data for email, which must be unique."
    ]
    assert formset.forms[1].non_field_errors() == ["Please correct the duplicate values below."]
    taken = {**management("form", 1, 0), "form-0-name": "Ann2", "form-0-email": "ann@example.com"}
    formset = forms.modelformset_factory(Writer, fields=["name", "email"], extra=0)(
        taken, queryset=Writer.objects.none()
    )
    assert formset.errors == [{"email": ["Writer with this Email already exists."]}]


def test_tampered_primary_key_is_refused(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    for bad in ["999999", "abc"]:
        data = {
            **management("form", 1, 1),
            "form-0-id": bad,
            "form-0-name": "x",
            "form-0-email": "x@example.com",
        }
        formset = WriterFormSet(data)
        assert not formset.is_valid()
        assert formset.errors[0]["id"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    assert Writer.objects.get(pk=ann.pk).name == "Ann"


def test_inline_formset_edits_one_writers_books(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    bob = Writer.objects.create(name="Bob", email="bob@example.com")
    dune = Book.objects.create(title="Dune", slug="dune", writer=ann)
    Book.objects.create(title="Emma", slug="emma", writer=bob)
    formset = BookInline(instance=ann)
    assert formset.prefix == "books"
    assert [form.instance for form in formset.initial_forms] == [dune]
    html = str(formset)
    assert f'name="books-0-writer" value="{ann.pk}"' in html
    data = {
        **management("books", 2, 1),
        "books-0-id": str(dune.pk),
        "books-0-writer": str(ann.pk),
        "books-0-title": "Dune",
        "books-0-slug": "dune",
        "books-0-DELETE": "on",
        "books-1-writer": str(ann.pk),
        "books-1-title": "Dune Messiah",
        "books-1-slug": "messiah",
    }
    formset = BookInline(data, instance=ann)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert [b.title for b in ann.books.all()] == ["Dune Messiah"]
    assert Book.objects.filter(writer=bob).count() == 1


def test_inline_parent_mismatch_and_unique_together(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    bob = Writer.objects.create(name="Bob", email="bob@example.com")
    Book.objects.create(title="Dune", slug="dune", writer=ann)
    forged = {
        **management("books", 1, 0),
        "books-0-writer": str(bob.pk),
        "books-0-title": "X",
        "books-0-slug": "x",
    }
    formset = BookInline(forged, instance=ann)
    assert formset.errors == [{"writer": ["The inline value did not match the parent instance."]}]
    same_title = {
        **management("books", 1, 0),
        "books-0-title": "Dune",
        "books-0-slug": "dune-2",
    }
    formset = BookInline(same_title, instance=ann)
    assert not formset.is_valid()
    assert formset.errors[0]["__all__"] == ["Book with this Writer and Title already exists."]


def test_inline_for_a_new_parent_saves_after_it(connection: DatabaseWrapper) -> None:
    data = {**management("books", 1, 0), "books-0-title": "First", "books-0-slug": "first"}
    parent = Writer(name="New", email="new@example.com")
    formset = BookInline(data, instance=parent)
    assert formset.is_valid(), formset.errors
    parent.save()
    formset.save()
    assert [b.title for b in parent.books.all()] == ["First"]


def test_factory_errors() -> None:
    with pytest.raises(ImproperlyConfigured, match="modelformset_factory without defining"):
        forms.modelformset_factory(Writer)
    with pytest.raises(ValueError, match=r"has no ForeignKey to 'formtests\.Tag'"):
        forms.inlineformset_factory(Tag, Book, fields=["title"])


async def test_async_model_formset(connection: DatabaseWrapper) -> None:
    ann = await Writer.objects.acreate(name="Ann", email="ann@example.com")
    formset = WriterFormSet()
    await formset.aload()
    assert 'value="Ann"' in str(formset)
    data = {
        **management("form", 2, 1),
        "form-0-id": str(ann.pk),
        "form-0-name": "Anne",
        "form-0-email": "ann@example.com",
        "form-1-name": "Cy",
        "form-1-email": "cy@example.com",
    }
    formset = WriterFormSet(data)
    assert await formset.ais_valid(), formset.errors
    await formset.asave()
    assert [w.name async for w in Writer.objects.all()] == ["Anne", "Cy"]
    inline = BookInline(
        {**management("books", 1, 0), "books-0-title": "T", "books-0-slug": "t"}, instance=ann
    )
    assert await inline.ais_valid()
    await inline.asave()
    assert await ann.books.acount() == 1


def test_only_the_formsets_objects_can_be_edited(connection: DatabaseWrapper) -> None:
    ann = Writer.objects.create(name="Ann", email="ann@example.com")
    bob = Writer.objects.create(name="Bob", email="bob@example.com")
    forged = {
        **management("form", 1, 1),
        "form-0-id": str(bob.pk),  # not in the queryset below
        "form-0-name": "Mallory",
        "form-0-email": "bob@example.com",
    }
    formset = WriterFormSet(forged, queryset=Writer.objects.filter(pk=ann.pk))
    assert not formset.is_valid()
    assert formset.errors[0]["id"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Writer.objects.get(pk=bob.pk).name == "Bob"
