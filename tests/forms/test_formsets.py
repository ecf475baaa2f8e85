"""formset_factory: the management form, extra/min/max, deletion, ordering, validation."""

from __future__ import annotations

from typing import Any

import pytest

from djanco import forms
from djanco.core.exceptions import ValidationError


class ItemForm(forms.Form):
    name = forms.CharField(max_length=20)
    quantity = forms.IntegerField(min_value=1)


def management(total: int, initial: int = 0, prefix: str = "form") -> dict[str, object]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def test_unbound_formset_renders_extra_forms_and_the_management_form() -> None:
    ItemFormSet = forms.formset_factory(ItemForm, extra=2)
    assert ItemFormSet.__name__ == "ItemFormSet"
    formset = ItemFormSet()
    assert len(formset) == 2
    assert [form.prefix for form in formset] == ["form-0", "form-1"]
    html = str(formset)
    for name, value in [
        ("form-TOTAL_FORMS", "2"),
        ("form-INITIAL_FORMS", "0"),
        ("form-MIN_NUM_FORMS", "0"),
        ("form-MAX_NUM_FORMS", "1000"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}" id="id_{name}">' in html
    assert 'name="form-1-quantity"' in html
    # Formset forms never carry "required": optional and deleted forms must submit.
    assert " required" not in html


def test_initial_forms_and_empty_form() -> None:
    formset = forms.formset_factory(ItemForm, extra=1)(initial=[{"name": "Pen", "quantity": 2}])
    assert formset.total_form_count() == 2
    assert formset.initial_form_count() == 1
    assert formset.forms[0].name.value() == "Pen"
    assert formset.empty_form.prefix == "form-__prefix__"
    assert 'name="form-__prefix__-name"' in str(formset.empty_form)


def test_bound_formset_validates_each_form_and_ignores_untouched_extras() -> None:
    data = {
        **management(3),
        "form-0-name": "Pen",
        "form-0-quantity": "2",
        "form-1-name": "Ink",
        "form-1-quantity": "0",
    }
    formset = forms.formset_factory(ItemForm)(data)
    assert not formset.is_valid()
    assert formset.errors == [
        {},
        {"quantity": ["Ensure this value is greater than or equal to 1."]},
        {},
    ]
    assert formset.total_error_count() == 1
    data["form-1-quantity"] = "3"
    formset = forms.formset_factory(ItemForm)(data)
    assert formset.is_valid()
    assert formset.cleaned_data == [
        {"name": "Pen", "quantity": 2},
        {"name": "Ink", "quantity": 3},
        {},
    ]


def test_missing_or_tampered_management_form() -> None:
    formset = forms.formset_factory(ItemForm)({"form-0-name": "x"})
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "form-TOTAL_FORMS, form-INITIAL_FORMS. You may need to file a bug report if the "
        "issue persists."
    ]
    ItemFormSet = forms.formset_factory(ItemForm)
    garbled = ItemFormSet(management(0) | {"form-TOTAL_FORMS": "abc"})
    assert not garbled.is_valid()
    assert "Missing fields: form-TOTAL_FORMS." in garbled.non_form_errors()[0]
    assert len(ItemFormSet(management(0) | {"form-TOTAL_FORMS": "-5"}).forms) == 0
    huge = ItemFormSet(management(0) | {"form-TOTAL_FORMS": "9" * 30})
    assert len(huge.forms) == huge.absolute_max == 2000
    assert huge.non_form_errors() == ["Please submit at most 1000 forms."]


def test_absolute_max_bounds_the_forms_built() -> None:
    ItemFormSet = forms.formset_factory(ItemForm, max_num=2, absolute_max=3)
    formset = ItemFormSet(management(1_000_000))
    assert len(formset.forms) == 3
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Please submit at most 2 forms."]
    with pytest.raises(ValueError, match="'absolute_max' must be greater or equal"):
        forms.formset_factory(ItemForm, max_num=5, absolute_max=4)


def test_min_and_max_validation() -> None:
    filled = {
        "form-0-name": "a",
        "form-0-quantity": "1",
        "form-1-name": "b",
        "form-1-quantity": "1",
    }
    too_many = forms.formset_factory(ItemForm, max_num=1, validate_max=True)(
        {**management(2), **filled}
    )
    assert too_many.non_form_errors() == ["Please submit at most 1 forms."]
    too_few = forms.formset_factory(ItemForm, min_num=3, validate_min=True, extra=0)(
        {**management(3), **filled}
    )
    assert not too_few.is_valid()
    assert too_few.non_form_errors() == ["Please submit at least 3 forms."]
    # Unbound: max_num caps the extra forms shown.
    assert len(forms.formset_factory(ItemForm, extra=5, max_num=2)()) == 2


def test_can_delete_and_can_order() -> None:
    ItemFormSet = forms.formset_factory(ItemForm, can_delete=True, can_order=True, extra=0)
    data = {
        **management(3, initial=3),
        "form-0-name": "a",
        "form-0-quantity": "1",
        "form-0-ORDER": "3",
        "form-1-name": "b",
        "form-1-quantity": "-1",
        "form-1-DELETE": "on",
        "form-2-name": "c",
        "form-2-quantity": "1",
        "form-2-ORDER": "1",
    }
    formset = ItemFormSet(data)
    assert formset.is_valid()  # the invalid form is being deleted
    assert [form.cleaned_data["name"] for form in formset.deleted_forms] == ["b"]
    assert [form.cleaned_data["name"] for form in formset.ordered_forms] == ["c", "a"]
    html = str(ItemFormSet(initial=[{"name": "a", "quantity": 1}]))
    assert '<input type="checkbox" name="form-0-DELETE" id="id_form-0-DELETE">' in html
    assert '<input type="number" name="form-0-ORDER" value="1" id="id_form-0-ORDER">' in html


def test_formset_clean_and_custom_base() -> None:
    class NoDuplicates(forms.BaseFormSet[ItemForm]):
        def clean(self) -> None:
            names = [form.cleaned_data.get("name") for form in self.forms]
            if len(names) != len(set(names)):
                raise ValidationError("Each item only once.")

        def total(self) -> int:
            return sum(int(form.cleaned_data["quantity"]) for form in self.forms)

    ItemFormSet = forms.formset_factory(ItemForm, NoDuplicates, extra=0)
    row = {"form-0-name": "a", "form-0-quantity": "1"}
    twice = {**row, "form-1-name": "a", "form-1-quantity": "2"}
    formset = ItemFormSet({**management(2), **twice})
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Each item only once."]
    valid = ItemFormSet({**management(1), **row})
    assert valid.is_valid()
    assert valid.total() == 1


def test_prefix_form_kwargs_and_all_valid() -> None:
    class Priced(ItemForm):
        def __init__(self, *args: Any, currency: str = "EUR", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.currency = currency

    PricedSet = forms.formset_factory(Priced, extra=1)
    formset = PricedSet(prefix="items", form_kwargs={"currency": "USD"})
    assert formset.forms[0].currency == "USD"
    assert formset.management_form.prefix == "items"
    assert 'name="items-TOTAL_FORMS"' in str(formset.management_form)
    bound = PricedSet(
        {**management(1, prefix="items"), "items-0-name": "a", "items-0-quantity": "1"},
        prefix="items",
    )
    assert forms.all_valid([bound, PricedSet()]) is False  # an unbound formset is not valid
    assert forms.all_valid([bound])


async def test_ais_valid() -> None:
    data = {**management(1), "form-0-name": "a", "form-0-quantity": "1"}
    assert await forms.formset_factory(ItemForm)(data).ais_valid()
