"""Static checks of the form types (mypy --strict and pyright strict).

Never run: the checkers read it. An expected error is written with a `# type: ignore[code]`
comment, which both checkers report as unnecessary if the error ever goes away.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, Literal, assert_type

from markupsafe import Markup

from djanco import forms
from djanco.core.files import File
from djanco.db import models
from djanco.forms.boundfield import BoundField
from djanco.forms.formsets import BaseFormSet
from djanco.forms.model_formsets import BaseInlineFormSet, BaseModelFormSet


class Writer(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    writer = models.ForeignKey(Writer, on_delete=models.CASCADE)


class Everything(forms.Form):
    text = forms.CharField(max_length=10)
    optional_text = forms.CharField(required=False)
    nullable_text = forms.CharField(required=False, empty_value=None)
    number = forms.IntegerField()
    maybe_number = forms.IntegerField(required=False)
    price = forms.DecimalField(max_digits=5, decimal_places=2)
    maybe_price = forms.DecimalField(required=False)
    ratio = forms.FloatField()
    maybe_ratio = forms.FloatField(required=False)
    flag = forms.BooleanField(required=False)
    tri = forms.NullBooleanField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    count = forms.TypedChoiceField(choices=[(1, "One")], coerce=int)
    maybe_count = forms.TypedChoiceField(
        choices=[(1, "One")], coerce=int, required=False, empty_value=None
    )
    count_or_blank = forms.TypedChoiceField(choices=[(1, "One")], coerce=int, required=False)
    tags = forms.MultipleChoiceField(choices=[("a", "A")])
    day = forms.DateField()
    maybe_day = forms.DateField(required=False)
    when = forms.DateTimeField()
    maybe_when = forms.DateTimeField(required=False)
    clock = forms.TimeField()
    maybe_clock = forms.TimeField(required=False)
    span = forms.DurationField()
    maybe_span = forms.DurationField(required=False)
    email = forms.EmailField()
    maybe_email = forms.EmailField(required=False, empty_value=None)
    home = forms.URLField()
    slug = forms.SlugField()
    code = forms.RegexField(r"^\d+$")
    token = forms.UUIDField()
    maybe_token = forms.UUIDField(required=False)
    data = forms.JSONField()  # type: ignore[assignment]  # "data" is the submitted data
    settings: forms.JSONField[dict[str, int]] = forms.JSONField()
    upload = forms.FileField()
    maybe_upload = forms.FileField(required=False)
    picture = forms.ImageField(max_size=1_000_000)
    maybe_picture = forms.ImageField(required=False)
    writer = forms.ModelChoiceField(Writer.objects.all())
    maybe_writer = forms.ModelChoiceField(Writer.objects, required=False)
    writers = forms.ModelMultipleChoiceField(Writer.objects.all())


def check_cleaned_types(form: Everything) -> None:
    assert_type(form.text, BoundField[str])
    assert_type(form.text.cleaned_value, str)
    assert_type(form.optional_text.cleaned_value, str)
    assert_type(form.nullable_text.cleaned_value, str | None)
    assert_type(form.number.cleaned_value, int)
    assert_type(form.maybe_number.cleaned_value, int | None)
    assert_type(form.price.cleaned_value, decimal.Decimal)
    assert_type(form.maybe_price.cleaned_value, decimal.Decimal | None)
    assert_type(form.ratio.cleaned_value, float)
    assert_type(form.maybe_ratio.cleaned_value, float | None)
    assert_type(form.flag.cleaned_value, bool)
    assert_type(form.tri.cleaned_value, bool | None)
    assert_type(form.kind.cleaned_value, str)
    assert_type(form.count.cleaned_value, int)
    assert_type(form.maybe_count.cleaned_value, int | None)
    assert_type(form.count_or_blank.cleaned_value, int | str)
    assert_type(form.tags.cleaned_value, list[str])
    assert_type(form.day.cleaned_value, dt.date)
    assert_type(form.maybe_day.cleaned_value, dt.date | None)
    assert_type(form.when.cleaned_value, dt.datetime)
    assert_type(form.maybe_when.cleaned_value, dt.datetime | None)
    assert_type(form.clock.cleaned_value, dt.time)
    assert_type(form.maybe_clock.cleaned_value, dt.time | None)
    assert_type(form.span.cleaned_value, dt.timedelta)
    assert_type(form.maybe_span.cleaned_value, dt.timedelta | None)
    assert_type(form.email.cleaned_value, str)
    assert_type(form.maybe_email.cleaned_value, str | None)
    assert_type(form.home.cleaned_value, str)
    assert_type(form.slug.cleaned_value, str)
    assert_type(form.code.cleaned_value, str)
    assert_type(form.token.cleaned_value, uuid.UUID)
    assert_type(form.maybe_token.cleaned_value, uuid.UUID | None)
    assert_type(form.settings.cleaned_value, dict[str, int])
    assert_type(form.upload.cleaned_value, File)
    assert_type(form.maybe_upload.cleaned_value, File | Literal[False] | None)
    assert_type(form.picture.cleaned_value, File)
    assert_type(form.maybe_picture.cleaned_value, File | Literal[False] | None)
    assert_type(form.writer.cleaned_value, Writer)
    assert_type(form.maybe_writer.cleaned_value, Writer | None)
    assert_type(form.writers.cleaned_value, models.QuerySet[Writer])
    assert_type(form.cleaned_data, dict[str, Any])
    assert_type(form["text"], BoundField[object])


def check_class_access_and_bound_field_api(form: Everything) -> None:
    assert_type(Everything.text, forms.CharField[str])
    assert_type(Everything.maybe_number, forms.IntegerField[int | None])
    bound = form.text
    assert_type(bound.value(), object)
    assert_type(bound.label_tag(), Markup)
    assert_type(bound.errors, forms.ErrorList)
    assert_type(bound.id_for_label, str)
    assert_type(bound.help_text, str)
    assert_type(form.is_valid(), bool)
    assert_type(form.errors, forms.ErrorDict)
    form.text.cleaned_value.upper()
    form.maybe_number.cleaned_value + 1  # type: ignore[operator]  # may be None


def check_field_options() -> None:
    forms.CharField(max_lenght=3)  # type: ignore[call-overload]  # misspelt option
    forms.IntegerField(min_value="1")  # type: ignore[call-overload]  # not an int
    forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    forms.DateField(widget=forms.DateInput(format="%d/%m/%Y"), input_formats=["%d/%m/%Y"])


class BookForm(forms.ModelForm[Book]):
    class Meta:
        model = Book
        fields = ["title", "writer"]


async def check_model_forms(form: BookForm) -> None:
    assert_type(form.instance, Book)
    assert_type(form.save(), Book)
    assert_type(form.save(commit=False), Book)
    assert_type(await form.asave(), Book)
    assert_type(await form.ais_valid(), bool)
    factory_form = forms.modelform_factory(Writer, fields=["name"])
    assert_type(factory_form, type[forms.ModelForm[Writer]])
    assert_type(factory_form().instance, Writer)
    BookForm(instance=Writer())  # type: ignore[arg-type]  # not a Book


class ItemForm(forms.Form):
    name = forms.CharField()


async def check_formsets() -> None:
    item_set = forms.formset_factory(ItemForm, extra=2)
    assert_type(item_set, type[BaseFormSet[ItemForm]])
    formset = item_set()
    for item in formset:
        assert_type(item, ItemForm)
        assert_type(item.name.cleaned_value, str)
    assert_type(formset.forms, list[ItemForm])
    assert_type(formset.is_valid(), bool)
    writer_set = forms.modelformset_factory(Writer, fields=["name"])
    assert_type(writer_set, type[BaseModelFormSet[Writer]])
    assert_type(writer_set().save(), list[Writer])
    assert_type(await writer_set().asave(), list[Writer])
    book_inline = forms.inlineformset_factory(Writer, Book, fields=["title"])
    assert_type(book_inline, type[BaseInlineFormSet[Writer, Book]])
    inline = book_inline(instance=Writer())
    assert_type(inline.instance, Writer)
    assert_type(inline.save(), list[Book])


def check_fields_are_covariant(form: Everything) -> None:
    mixed: list[forms.Field[object]] = [forms.CharField(), forms.IntegerField(required=False)]
    bound: BoundField[object] = form.text
    assert_type(mixed, list[forms.Field[object]])
    assert_type(bound.value(), object)
    forms.ChoiceField(choices={"a": "A", "b": "B"})
