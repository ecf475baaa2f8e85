"""``BoundField[T]``: a form's field together with its data, as templates and views use it.

``{{ form.title }}`` renders the input; ``form.title.label_tag()``, ``.errors``, ``.value()``,
``.help_text`` and ``.id_for_label`` serve field-by-field layouts; ``form.title.cleaned_value``
is the cleaned value, typed ``T``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from markupsafe import Markup, escape

from djanco.core.exceptions import ValidationError
from djanco.forms.errors import ErrorList
from djanco.forms.renderers import RenderableMixin, render
from djanco.forms.utils import pretty_name
from djanco.forms.widgets import Context, Textarea, TextInput, Widget

if TYPE_CHECKING:
    from djanco.forms.fields.base import Field
    from djanco.forms.forms import BaseForm

__all__ = ["BoundField", "BoundWidget"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_WIDGET_SUFFIX = re.compile(r"widget$|input$")


class BoundField(RenderableMixin, Generic[_T]):
    """One field of one form instance: what to render and what was submitted."""

    def __init__(self, form: BaseForm, field: Field[_T], name: str) -> None:
        self.form = form
        self.field = field
        self.name = name
        self.html_name = form.add_prefix(name)
        self.html_initial_name = form.add_initial_prefix(name)
        self.html_initial_id = form.add_initial_prefix(self.auto_id)
        self.label: str = pretty_name(name) if field.label is None else field.label
        self.help_text = field.help_text or ""

    def __repr__(self) -> str:
        return f"<BoundField {type(self.form).__name__}.{self.name}>"

    # --- values -----------------------------------------------------------------------------

    @property
    def data(self) -> object:
        """What was submitted for this field (None if nothing, or the form is unbound)."""
        return self.form._widget_data_value(self.field.widget, self.html_name)

    @cached_property
    def initial(self) -> object:
        return self.form.get_initial_for_field(self.field, self.name)

    def value(self) -> object:
        """The value the widget shows: the submitted data if bound, else the initial value."""
        value = self.initial
        if self.form.is_bound:
            value = self.field.bound_data(self.data, value)
        return self.field.prepare_value(value)

    @property
    def cleaned_value(self) -> _T:
        """The cleaned value (validates the form first if needed).

        AttributeError when there is none: the form is not bound, or this field did not
        validate (its messages are in ``errors``).
        """
        form_errors = self.form.errors  # validates the form if it has not been yet
        cleaned: dict[str, object] | None = getattr(self.form, "cleaned_data", None)
        if cleaned is None or self.name not in cleaned:
            if not self.form.is_bound:
                reason = "the form is not bound"
            else:
                reason = "it is not valid: " + " ".join(form_errors.get(self.name, ()))
            raise AttributeError(
                f"{type(self.form).__name__}.{self.name} has no cleaned value; {reason}"
            )
        return cast(_T, cleaned[self.name])

    def has_changed(self) -> bool:
        field = self.field
        if field.show_hidden_initial:
            hidden = field.hidden_widget()
            try:
                initial = field.to_python(
                    self.form._widget_data_value(hidden, self.html_initial_name)
                )
            except ValidationError:
                return True  # an unreadable hidden initial value counts as a change
        else:
            initial = self.initial
        return field.has_changed(initial, self.data)

    @property
    def errors(self) -> ErrorList:
        """This field's errors (empty if none); validates the form first if needed."""
        return self.form.errors.get(self.name) or self.form.error_class(field_id=self.auto_id)

    # --- ids and labels ---------------------------------------------------------------------

    @property
    def auto_id(self) -> str:
        """The input's id (``id_<html name>`` by default); "" when the form has no auto_id."""
        auto_id = self.form.auto_id
        if auto_id and "%s" in str(auto_id):
            return str(auto_id) % self.html_name
        return self.html_name if auto_id else ""

    @property
    def id_for_label(self) -> str:
        widget = self.field.widget
        return widget.id_for_label(str(widget.attrs.get("id") or self.auto_id))

    @property
    def is_hidden(self) -> bool:
        return self.field.widget.is_hidden

    @property
    def use_fieldset(self) -> bool:
        """Whether the field renders in a ``<fieldset>`` with a ``<legend>`` (radio lists)."""
        return self.field.widget.use_fieldset

    @property
    def widget_type(self) -> str:
        """The widget's class name without "Widget"/"Input", lower-cased: "text", "select"."""
        return _WIDGET_SUFFIX.sub("", type(self.field.widget).__name__.lower())

    @property
    def aria_describedby(self) -> str | None:
        """The ids of the help text and the error list, for ``aria-describedby``."""
        if self.field.widget.attrs.get("aria-describedby"):
            return None  # set on the widget by the developer: kept as is
        ids: list[str] = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    def label_tag(
        self,
        contents: str | None = None,
        attrs: Mapping[str, object] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> Markup:
        """``<label for="id_...">Label:</label>`` (plain text when the field has no id).

        ``contents`` is escaped unless it is Markup; the suffix (the form's ``label_suffix``,
        ":" by default) is left out after a label ending in punctuation.
        """
        text: str = self.label if contents is None else contents
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        label: Markup | str = text
        if label_suffix and text and text[-1] not in ":?.!":
            label = escape(text) + label_suffix  # Markup + str escapes the suffix too
        widget = self.field.widget
        element_id = str(widget.attrs.get("id") or self.auto_id)
        tag_attrs = dict(attrs or {})
        if element_id:
            target = widget.id_for_label(element_id)
            if target:
                tag_attrs["for"] = target
            required_class = self.form.required_css_class
            if self.field.required and required_class:
                existing = tag_attrs.get("class")
                tag_attrs["class"] = f"{existing} {required_class}" if existing else required_class
        context = {
            "field": self,
            "label": label,
            "attrs": tag_attrs,
            "use_tag": bool(element_id),
            "tag": tag or "label",
        }
        return render(self.form.template_name_label, context)

    def legend_tag(
        self,
        contents: str | None = None,
        attrs: Mapping[str, object] | None = None,
        label_suffix: str | None = None,
    ) -> Markup:
        """Like ``label_tag()``, as a ``<legend>`` (for fields rendered in a fieldset)."""
        return self.label_tag(contents, attrs, label_suffix, tag="legend")

    def css_classes(self, extra_classes: str | list[str] | None = None) -> str:
        """The form's ``error_css_class`` / ``required_css_class`` that apply, and extras."""
        classes = set(
            extra_classes.split() if isinstance(extra_classes, str) else extra_classes or ()
        )
        if self.form.error_css_class and self.errors:
            classes.add(self.form.error_css_class)
        if self.form.required_css_class and self.field.required:
            classes.add(self.form.required_css_class)
        return " ".join(sorted(classes))

    # --- rendering --------------------------------------------------------------------------

    def build_widget_attrs(
        self, attrs: Mapping[str, object], widget: Widget | None = None
    ) -> dict[str, object]:
        """``attrs`` plus ``required``, ``disabled`` and the ARIA attributes that apply."""
        widget = widget or self.field.widget
        built = dict(attrs)
        if (
            self.field.required
            and self.form.use_required_attribute
            and widget.use_required_attribute(self.initial)
        ):
            built["required"] = True
        if self.field.disabled:
            built["disabled"] = True
        if not widget.is_hidden and self.errors:
            built["aria-invalid"] = "true"
        if not built.get("aria-describedby") and not self.use_fieldset:
            described_by = self.aria_describedby
            if described_by:
                built["aria-describedby"] = described_by
        return built

    def as_widget(
        self,
        widget: Widget | None = None,
        attrs: Mapping[str, object] | None = None,
        only_initial: bool = False,
    ) -> Markup:
        """The field's input (or ``widget``'s), with ``attrs`` added."""
        widget = widget or self.field.widget
        if self.field.localize:
            widget.is_localized = True
        built = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            built.setdefault("id", self.html_initial_id if only_initial else self.auto_id)
        if only_initial and self.html_initial_name in self.form.data:
            value = self.form._widget_data_value(self.field.hidden_widget(), self.html_initial_name)
        else:
            value = self.value()
        name = self.html_initial_name if only_initial else self.html_name
        return widget.render(name, value, built)

    def as_text(self, attrs: Mapping[str, object] | None = None) -> Markup:
        return self.as_widget(TextInput(), attrs)

    def as_textarea(self, attrs: Mapping[str, object] | None = None) -> Markup:
        return self.as_widget(Textarea(), attrs)

    def as_hidden(
        self, attrs: Mapping[str, object] | None = None, only_initial: bool = False
    ) -> Markup:
        return self.as_widget(self.field.hidden_widget(), attrs, only_initial)

    @property
    def template_name(self) -> str:
        return self.field.template_name or self.form.field_template_name

    def get_context(self) -> dict[str, object]:
        return {"field": self}

    def as_field_group(self) -> Markup:
        """Label, help text, errors and input, as ``{{ form }}`` renders each field."""
        return self.render()

    def __html__(self) -> str:
        html = self.as_widget()
        if self.field.show_hidden_initial:
            html += self.as_hidden(only_initial=True)
        return html

    def __str__(self) -> str:
        return self.__html__()

    # --- choices ----------------------------------------------------------------------------

    @cached_property
    def subwidgets(self) -> list[BoundWidget]:
        """One BoundWidget per radio button or checkbox (a single one for other widgets)."""
        widget = self.field.widget
        element_id = widget.attrs.get("id") or self.auto_id
        attrs = self.build_widget_attrs({"id": element_id} if element_id else {})
        return [
            BoundWidget(widget, data)
            for data in widget.subwidgets(self.html_name, self.value(), attrs=attrs)
        ]

    def __iter__(self) -> Iterator[BoundWidget]:
        return iter(self.subwidgets)

    def __len__(self) -> int:
        return len(self.subwidgets)

    def __getitem__(self, index: int) -> BoundWidget:
        return self.subwidgets[index]

    def __bool__(self) -> bool:
        return True  # even without subwidgets


class BoundWidget:
    """One radio button or checkbox of a choice field: ``{% for radio in form.color %}``."""

    def __init__(self, parent_widget: Widget, data: Context) -> None:
        self.parent_widget = parent_widget
        self.data = data

    def tag(self, wrap_label: bool = False) -> Markup:
        """The input alone, or wrapped in its ``<label>``."""
        return render(self.template_name, {"widget": {**self.data, "wrap_label": wrap_label}})

    @property
    def template_name(self) -> str:
        name = self.data.get("template_name")
        return str(name) if name else self.parent_widget.template_name

    @property
    def id_for_label(self) -> str:
        return str(self.data["attrs"].get("id") or "")

    @property
    def choice_label(self) -> object:
        return self.data["label"]

    def __html__(self) -> str:
        return self.tag(wrap_label=True)

    def __str__(self) -> str:
        return self.__html__()
