"""Form behaviour: binding, initial data, prefixes, validation hooks, errors, changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from djanco import forms
from djanco.core.exceptions import ValidationError
from djanco.http import QueryDict


class ContactForm(forms.Form):
    subject = forms.CharField(max_length=100)
    sender = forms.EmailField()
    copies = forms.IntegerField(required=False, min_value=0)
    cc_myself = forms.BooleanField(required=False)

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if "spam" in subject.lower():
            raise ValidationError("No spam, please.", code="spam")
        return subject.title()

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned and cleaned.get("cc_myself") and not cleaned.get("copies"):
            raise ValidationError("Say how many copies.", code="copies")
        return cleaned


def test_unbound_form_has_no_errors_and_is_not_valid() -> None:
    form = ContactForm()
    assert not form.is_bound
    assert not form.is_valid()
    assert form.errors == {}
    assert form.subject.errors == []


def test_valid_data_is_cleaned_and_typed() -> None:
    form = ContactForm({"subject": "hello there", "sender": "a@example.com", "copies": "2"})
    assert form.is_valid()
    assert form.cleaned_data == {
        "subject": "Hello There",
        "sender": "a@example.com",
        "copies": 2,
        "cc_myself": False,
    }
    assert form.subject.cleaned_value == "Hello There"
    assert form.copies.cleaned_value == 2


def test_errors_per_field_and_non_field_errors() -> None:
    form = ContactForm({"subject": "Buy SPAM", "sender": "nope", "cc_myself": "on"})
    assert not form.is_valid()
    assert form.errors == {
        "subject": ["No spam, please."],
        "sender": ["Enter a valid email address."],
        "__all__": ["Say how many copies."],
    }
    assert form.non_field_errors() == ["Say how many copies."]
    assert form.has_error("subject", code="spam")
    assert not form.has_error("subject", code="required")
    assert form.has_error("__all__")
    assert "subject" not in form.cleaned_data
    assert form.errors.as_data()["sender"][0].code == "invalid"
    assert form.errors.get_json_data()["subject"] == [
        {"message": "No spam, please.", "code": "spam"}
    ]
    assert form.errors.as_text().startswith("* subject\n  * No spam, please.\n")
    with pytest.raises(AttributeError, match=r"ContactForm\.sender has no cleaned value"):
        _ = form.sender.cleaned_value


def test_cleaned_value_of_an_unbound_form() -> None:
    with pytest.raises(AttributeError, match="the form is not bound"):
        _ = ContactForm().subject.cleaned_value


def test_querydict_data_and_getlist() -> None:
    class Toppings(forms.Form):
        toppings = forms.MultipleChoiceField(choices=[("ham", "Ham"), ("egg", "Egg")])

    form = Toppings(QueryDict("toppings=ham&toppings=egg"))
    assert form.is_valid()
    assert form.cleaned_data["toppings"] == ["ham", "egg"]
    assert Toppings({"toppings": ["egg"]}).is_valid()


def test_initial_values_and_has_changed() -> None:
    initial = {"subject": "Hi", "sender": "a@example.com"}
    assert ContactForm(initial=initial).subject.value() == "Hi"
    unchanged = ContactForm({**initial, "copies": ""}, initial=initial)
    assert not unchanged.has_changed()
    changed = ContactForm({"subject": "Hello", "sender": "a@example.com"}, initial=initial)
    assert changed.has_changed()
    assert changed.changed_data == ["subject"]


def test_callable_initial_and_microseconds_dropped_for_text_inputs() -> None:
    class Stamp(forms.Form):
        when = forms.DateTimeField(initial=lambda: dt.datetime(2024, 1, 2, 3, 4, 5, 678))

    assert Stamp().when.value() == dt.datetime(2024, 1, 2, 3, 4, 5)


def test_prefix_names_the_inputs() -> None:
    form = ContactForm({"c-subject": "Hi", "c-sender": "a@example.com"}, prefix="c")
    assert form.is_valid()
    assert form.subject.html_name == "c-subject"
    assert form.subject.auto_id == "id_c-subject"
    assert 'name="c-subject"' in str(form.subject)


def test_add_error() -> None:
    class Signup(forms.Form):
        password = forms.CharField()
        again = forms.CharField()

        def clean(self) -> dict[str, Any] | None:
            cleaned = super().clean()
            if cleaned and cleaned.get("password") != cleaned.get("again"):
                self.add_error("again", "The passwords differ.")
            return cleaned

    form = Signup({"password": "a", "again": "b"})
    assert form.errors == {"again": ["The passwords differ."]}
    assert "again" not in form.cleaned_data
    form.add_error(None, ValidationError({"password": ["Too short."], "__all__": ["Bad."]}))
    assert form.errors["password"] == ["Too short."]
    assert form.non_field_errors() == ["Bad."]
    with pytest.raises(ValueError, match="has no field named 'nope'"):
        form.add_error("nope", "x")
    with pytest.raises(TypeError, match="must be `None`"):
        form.add_error("password", ValidationError({"again": ["x"]}))


def test_disabled_fields_keep_their_initial_value() -> None:
    class Profile(forms.Form):
        username = forms.CharField(disabled=True)
        bio = forms.CharField(required=False)

    form = Profile({"username": "mallory", "bio": "hi"}, initial={"username": "alice"})
    assert form.is_valid()
    assert form.cleaned_data["username"] == "alice"
    assert form.changed_data == ["bio"]


def test_empty_permitted_form_skips_validation_when_untouched() -> None:
    form = ContactForm({}, empty_permitted=True, use_required_attribute=False)
    assert form.is_valid()
    with pytest.raises(ValueError, match="may not both be set to True"):
        ContactForm({}, empty_permitted=True)


def test_fields_are_copied_per_instance() -> None:
    first, second = ContactForm(), ContactForm()
    first.fields["subject"].required = False
    first.fields["subject"].widget.attrs["class"] = "wide"
    assert second.fields["subject"].required
    assert "class" not in second.fields["subject"].widget.attrs
    assert ContactForm.base_fields["subject"].required


def test_field_order_and_inheritance() -> None:
    class Base(forms.Form):
        a = forms.CharField()
        b = forms.CharField()

    class Child(Base):
        c = forms.CharField()
        a = forms.IntegerField()  # type: ignore[assignment]  # redefined with another type
        b = None  # type: ignore[assignment]  # removed, as in Django

    assert list(Child.base_fields) == ["a", "c"]
    assert isinstance(Child.base_fields["a"], forms.IntegerField)
    assert list(Child(field_order=["c"]).fields) == ["c", "a"]


def test_class_access_gives_the_field_and_missing_fields_raise_attribute_error() -> None:
    assert isinstance(ContactForm.subject, forms.CharField)
    form = ContactForm()
    del form.fields["copies"]
    with pytest.raises(AttributeError, match="has no field 'copies'"):
        _ = form.copies
    with pytest.raises(KeyError, match="Choices are: cc_myself, sender, subject"):
        form["copies"]


def test_a_field_named_like_a_form_attribute_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot be called 'errors'"):

        class Clash(forms.Form):
            errors = forms.CharField()  # type: ignore[assignment]  # the clash tested


def test_repr_and_iteration() -> None:
    form = ContactForm({"subject": "x"})
    assert repr(form) == (
        "<ContactForm bound=True, valid=Unknown, fields=(subject;sender;copies;cc_myself)>"
    )
    assert [bound.name for bound in form] == ["subject", "sender", "copies", "cc_myself"]
    assert not form.is_valid()
    assert "valid=False" in repr(form)


def test_hidden_and_visible_fields() -> None:
    class WithHidden(forms.Form):
        name = forms.CharField()
        token = forms.CharField(widget=forms.HiddenInput)

    form = WithHidden()
    assert [b.name for b in form.hidden_fields()] == ["token"]
    assert [b.name for b in form.visible_fields()] == ["name"]


async def test_ais_valid_for_plain_forms() -> None:
    form = ContactForm({"subject": "hello", "sender": "a@example.com"})
    assert await form.ais_valid()
    assert form.cleaned_data["subject"] == "Hello"


class EveryField(forms.Form):
    text = forms.CharField(max_length=10)
    number = forms.IntegerField()
    price = forms.DecimalField(max_digits=4, decimal_places=1)
    ratio = forms.FloatField()
    flag = forms.BooleanField()
    tri = forms.NullBooleanField()
    kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    count = forms.TypedChoiceField(choices=[(1, "1")], coerce=int)
    tags = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    hidden_tags = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.MultipleHiddenInput, required=False
    )
    day = forms.DateField()
    when = forms.DateTimeField()
    clock = forms.TimeField()
    span = forms.DurationField()
    email = forms.EmailField()
    home = forms.URLField()
    slug = forms.SlugField()
    token = forms.UUIDField()
    blob = forms.JSONField()
    upload = forms.FileField()
    picture = forms.ImageField(required=False)


@pytest.mark.parametrize(
    "value",
    [None, "", "\x00", '"><script>x</script>', "9" * 5000, ["a", "b"], {"k": 1}, 7, object()],
    ids=repr,
)
def test_hostile_data_never_breaks_validation_or_rendering(value: object) -> None:
    data = {name: value for name in EveryField.base_fields}
    form = EveryField(data, data)
    assert form.is_valid() is False
    html = str(form)
    assert "<script>" not in html
    assert form.as_p() and form.as_table() and form.as_ul()


def test_repeated_keys_in_a_querydict() -> None:
    form = EveryField(QueryDict("text=a&text=b&tags=a&tags=a&number=1&number=x"))
    assert not form.is_valid()
    assert form.cleaned_data["text"] == "b"  # the last value, as in Django
    assert form.cleaned_data["tags"] == ["a", "a"]
    assert "number" not in form.cleaned_data


def test_a_field_object_shared_by_forms() -> None:
    email = forms.EmailField()

    class First(forms.Form):
        contact = email

    class Second(forms.Form):
        contact = email

    assert Second({"contact": "a@example.com"}).contact.cleaned_value == "a@example.com"
    with pytest.raises(TypeError, match="already declared as 'contact'"):

        class Third(forms.Form):
            other = email
