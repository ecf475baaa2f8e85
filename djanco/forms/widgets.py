"""Widgets: how a form field is drawn as HTML and read back from submitted data.

Each widget renders a template under ``djanco/forms/widgets/`` (overridable by the project,
see ``djanco.forms.renderers``) with Django's context (``widget.name``, ``widget.value``,
``widget.attrs``, ...) and Django's HTML, so CSS and scripts written for Django keep working.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from markupsafe import Markup

from djanco.forms.choices import Choices, normalize_choices
from djanco.forms.renderers import render
from djanco.forms.utils import shallow_copy

__all__ = [
    "FILE_INPUT_CONTRADICTION",
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "ChoiceWidget",
    "ClearableFileInput",
    "DateInput",
    "DateTimeInput",
    "EmailInput",
    "FileInput",
    "FormData",
    "HiddenInput",
    "Input",
    "MultipleHiddenInput",
    "NullBooleanSelect",
    "NumberInput",
    "PasswordInput",
    "RadioSelect",
    "Select",
    "SelectMultiple",
    "TextInput",
    "Textarea",
    "TimeInput",
    "URLInput",
    "Widget",
]

FormData = Mapping[str, object]
"""Submitted data: any mapping; a ``getlist()`` method (QueryDict) gives multiple values."""

Attrs = dict[str, object]
"""HTML attributes: ``True`` renders the bare name, ``False`` and ``None`` leave it out."""

Context = dict[str, Any]
"""A template context; a widget's own values are under ``"widget"`` (a dict), as in Django."""


def get_list(data: FormData, name: str) -> object:
    """Every value submitted for ``name``: ``data.getlist(name)`` when there is one."""
    getlist: Callable[[str], object] | None = getattr(data, "getlist", None)
    if getlist is not None:
        return getlist(name)
    return data.get(name)


class Widget:
    """Base class: renders ``template_name`` and reads ``data[name]``."""

    template_name: ClassVar[str] = ""
    input_type: str | None = None
    needs_multipart_form = False
    is_localized = False
    is_required = False
    supports_microseconds = True
    use_fieldset = False

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs: Attrs = {} if attrs is None else dict(attrs)

    def __deepcopy__(self, memo: dict[int, object]) -> Widget:
        clone = shallow_copy(self)
        clone.attrs = self.attrs.copy()
        memo[id(self)] = clone
        return clone

    @property
    def is_hidden(self) -> bool:
        return self.input_type == "hidden"

    def format_value(self, value: object) -> object:
        """The value as the template shows it (None: no value at all)."""
        if value is None or value == "":
            return None
        return str(value)

    def build_attrs(self, base: Mapping[str, object], extra: Mapping[str, object] | None) -> Attrs:
        return {**base, **(extra or {})}

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        return {
            "widget": {
                "name": name,
                "is_hidden": self.is_hidden,
                "required": self.is_required,
                "value": self.format_value(value),
                "attrs": self.build_attrs(self.attrs, attrs),
                "template_name": self.template_name,
                "type": self.input_type,
            }
        }

    def render(self, name: str, value: object, attrs: Mapping[str, object] | None = None) -> Markup:
        return render(self.template_name, self.get_context(name, value, attrs))

    def subwidgets(
        self, name: str, value: object, attrs: Mapping[str, object] | None = None
    ) -> Iterator[Context]:
        """The context of each element drawn (one, except for radio and checkbox lists)."""
        yield self.get_context(name, value, attrs)["widget"]

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        """This widget's value in the submitted data (None when absent)."""
        return data.get(name)

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        return name not in data

    def id_for_label(self, id_: str) -> str:
        """The id a ``<label for>`` should point at."""
        return id_

    def use_required_attribute(self, initial: object) -> bool:
        return not self.is_hidden


class Input(Widget):
    """An ``<input>``; ``attrs={"type": ...}`` changes its type."""

    template_name = "djanco/forms/widgets/input.html"

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        if attrs is not None and "type" in attrs:
            attrs = dict(attrs)
            self.input_type = str(attrs.pop("type"))
        super().__init__(attrs)


class TextInput(Input):
    input_type = "text"
    template_name = "djanco/forms/widgets/text.html"


class NumberInput(Input):
    input_type = "number"
    template_name = "djanco/forms/widgets/number.html"


class EmailInput(Input):
    input_type = "email"
    template_name = "djanco/forms/widgets/email.html"


class URLInput(Input):
    input_type = "url"
    template_name = "djanco/forms/widgets/url.html"


class PasswordInput(Input):
    """A password box; the submitted value is shown again only with ``render_value=True``."""

    input_type = "password"
    template_name = "djanco/forms/widgets/password.html"

    def __init__(
        self, attrs: Mapping[str, object] | None = None, render_value: bool = False
    ) -> None:
        super().__init__(attrs)
        self.render_value = render_value

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        return super().get_context(name, value if self.render_value else None, attrs)


class HiddenInput(Input):
    input_type = "hidden"
    template_name = "djanco/forms/widgets/hidden.html"


class MultipleHiddenInput(HiddenInput):
    """One hidden input per value, for fields holding a list."""

    template_name = "djanco/forms/widgets/multiple_hidden.html"

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base: Attrs = widget["attrs"]
        element_id = base.get("id")
        elements: list[Context] = []
        for index, item in enumerate(widget["value"]):
            element_attrs = {**base, "id": f"{element_id}_{index}"} if element_id else base
            hidden = HiddenInput()
            hidden.is_required = self.is_required
            elements.append(hidden.get_context(name, item, element_attrs)["widget"])
        widget["subwidgets"] = elements
        return context

    def format_value(self, value: object) -> object:
        if value is None:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        return get_list(data, name)


class FileInput(Input):
    """A file picker; its value comes from ``files``, and it never shows a value."""

    input_type = "file"
    needs_multipart_form = True
    allow_multiple_selected = False
    template_name = "djanco/forms/widgets/file.html"

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        if attrs is not None and attrs.get("multiple") and not self.allow_multiple_selected:
            raise ValueError(f"{type(self).__qualname__} doesn't support uploading multiple files.")
        super().__init__(attrs)

    def format_value(self, value: object) -> object:
        return None

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        return files.get(name)

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        return name not in files

    def use_required_attribute(self, initial: object) -> bool:
        return super().use_required_attribute(initial) and not initial


class _Contradiction:
    def __repr__(self) -> str:
        return "FILE_INPUT_CONTRADICTION"


FILE_INPUT_CONTRADICTION = _Contradiction()
"""What ClearableFileInput reads when a file is uploaded and "clear" is ticked together."""


class ClearableFileInput(FileInput):
    """A file picker that shows the current file (a link) and a "Clear" checkbox."""

    clear_checkbox_label = "Clear"
    initial_text = "Currently"
    input_text = "Change"
    template_name = "djanco/forms/widgets/clearable_file_input.html"
    checked = False
    use_fieldset = True

    def clear_checkbox_name(self, name: str) -> str:
        return f"{name}-clear"

    def clear_checkbox_id(self, name: str) -> str:
        return f"{name}_id"

    def is_initial(self, value: object) -> bool:
        """Whether ``value`` is a stored file (one with a ``url``), not a new upload."""
        return bool(value and getattr(value, "url", False))

    def format_value(self, value: object) -> object:
        return value if self.is_initial(value) else None

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        checkbox_name = self.clear_checkbox_name(name)
        widget.update(
            checkbox_name=checkbox_name,
            checkbox_id=self.clear_checkbox_id(checkbox_name),
            is_initial=self.is_initial(value),
            input_text=self.input_text,
            initial_text=self.initial_text,
            clear_checkbox_label=self.clear_checkbox_label,
        )
        widget["attrs"].setdefault("disabled", False)
        widget["attrs"]["checked"] = self.checked
        return context

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        upload = super().value_from_datadict(data, files, name)
        clear_name = self.clear_checkbox_name(name)
        self.checked = clear_name in data
        if not self.is_required and CheckboxInput().value_from_datadict(data, files, clear_name):
            return FILE_INPUT_CONTRADICTION if upload else False
        return upload

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        omitted = super().value_omitted_from_data(data, files, name)
        return omitted and self.clear_checkbox_name(name) not in data


class Textarea(Widget):
    template_name = "djanco/forms/widgets/textarea.html"

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        super().__init__({"cols": "40", "rows": "10", **(attrs or {})})


class _DateTimeBaseInput(TextInput):
    default_format: ClassVar[str] = ""
    supports_microseconds = False

    def __init__(
        self, attrs: Mapping[str, object] | None = None, format: str | None = None
    ) -> None:
        super().__init__(attrs)
        self.format = format or None

    def format_value(self, value: object) -> object:
        if isinstance(value, dt.date | dt.time):
            return value.strftime(self.format or self.default_format)
        return super().format_value(value)


class DateInput(_DateTimeBaseInput):
    """A text box for a date, shown as ``format`` (default ``%Y-%m-%d``)."""

    default_format = "%Y-%m-%d"
    template_name = "djanco/forms/widgets/date.html"


class DateTimeInput(_DateTimeBaseInput):
    """A text box for a date and time, shown as ``format`` (default ``%Y-%m-%d %H:%M:%S``)."""

    default_format = "%Y-%m-%d %H:%M:%S"
    template_name = "djanco/forms/widgets/datetime.html"


class TimeInput(_DateTimeBaseInput):
    """A text box for a time, shown as ``format`` (default ``%H:%M:%S``)."""

    default_format = "%H:%M:%S"
    template_name = "djanco/forms/widgets/time.html"


def _checked(value: object) -> bool:
    return not (value is False or value is None or value == "")


class CheckboxInput(Input):
    """A checkbox: ticked when ``check_test(value)``; reads as True or False, never missing."""

    input_type = "checkbox"
    template_name = "djanco/forms/widgets/checkbox.html"

    def __init__(
        self,
        attrs: Mapping[str, object] | None = None,
        check_test: Callable[[object], bool] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.check_test = _checked if check_test is None else check_test

    def format_value(self, value: object) -> object:
        if value is True or value is False or value is None or value == "":
            return None
        return str(value)

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        if self.check_test(value):
            attrs = {**(attrs or {}), "checked": True}
        return super().get_context(name, value, attrs)

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        if name not in data:
            return False  # an unticked box is not submitted at all
        value = data.get(name)
        if isinstance(value, str):
            return {"true": True, "false": False}.get(value.lower(), bool(value))
        return bool(value)

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        return False


class ChoiceWidget(Widget):
    """Base of the widgets that offer ``choices`` (select boxes, radio and checkbox lists)."""

    allow_multiple_selected = False
    option_template_name: ClassVar[str] = ""
    add_id_index = True
    checked_attribute: ClassVar[Attrs] = {"checked": True}
    option_inherits_attrs = True

    def __init__(self, attrs: Mapping[str, object] | None = None, choices: Choices = ()) -> None:
        super().__init__(attrs)
        self.choices = choices

    @property
    def choices(self) -> Iterable[tuple[object, object]]:
        return self._choices

    @choices.setter
    def choices(self, value: Choices) -> None:
        self._choices = normalize_choices(value)

    def __deepcopy__(self, memo: dict[int, object]) -> Widget:
        clone = shallow_copy(self)
        clone.attrs = self.attrs.copy()
        clone._choices = copy.copy(self._choices)
        memo[id(self)] = clone
        return clone

    def subwidgets(
        self, name: str, value: object, attrs: Mapping[str, object] | None = None
    ) -> Iterator[Context]:
        for _group, options, _index in self.optgroups(name, self.format_value(value), attrs):
            yield from options

    def optgroups(
        self, name: str, value: object, attrs: Mapping[str, object] | None = None
    ) -> list[tuple[object, list[Context], int]]:
        """``(group label or None, [option context, ...], index)`` for each choice or group."""
        selected_values: list[str] = value if isinstance(value, list) else []
        groups: list[tuple[object, list[Context], int]] = []
        has_selected = False
        for index, (choice_value, label) in enumerate(self.choices):
            options: list[Context] = []
            if isinstance(label, list | tuple):
                group_name: object = choice_value
                members: Iterable[tuple[object, object]] = label
                subindex: int | None = 0
            else:
                group_name, members, subindex = None, [(choice_value, label)], None
            groups.append((group_name, options, index))
            for option_value, option_label in members:
                option_value = "" if option_value is None else option_value
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    option_value
                ) in selected_values
                has_selected |= selected
                options.append(
                    self.create_option(
                        name, option_value, option_label, selected, index, subindex, attrs
                    )
                )
                if subindex is not None:
                    subindex += 1
        return groups

    def create_option(
        self,
        name: str,
        value: object,
        label: object,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: Mapping[str, object] | None = None,
    ) -> Context:
        position = str(index) if subindex is None else f"{index}_{subindex}"
        option_attrs = self.build_attrs(self.attrs, attrs) if self.option_inherits_attrs else {}
        if selected:
            option_attrs.update(self.checked_attribute)
        if "id" in option_attrs:
            option_attrs["id"] = self._option_id(str(option_attrs["id"]), position)
        return {
            "name": name,
            "value": value,
            "label": label,
            "selected": selected,
            "index": position,
            "attrs": option_attrs,
            "type": self.input_type,
            "template_name": self.option_template_name,
            "wrap_label": True,
        }

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["optgroups"] = self.optgroups(name, widget["value"], attrs)
        return context

    def _option_id(self, id_: str, position: str) -> str:
        return f"{id_}_{position}" if id_ and self.add_id_index else id_

    def id_for_label(self, id_: str) -> str:
        return self._option_id(id_, "0")

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        if self.allow_multiple_selected:
            return get_list(data, name)
        return data.get(name)

    def format_value(self, value: object) -> object:
        """The selected values, as a list of strings."""
        if value is None and self.allow_multiple_selected:
            return []
        values: Iterable[object] = value if isinstance(value, list | tuple) else [value]
        return ["" if item is None else str(item) for item in values]


class Select(ChoiceWidget):
    input_type = "select"
    template_name = "djanco/forms/widgets/select.html"
    option_template_name = "djanco/forms/widgets/select_option.html"
    add_id_index = False
    checked_attribute = {"selected": True}
    option_inherits_attrs = False

    def get_context(self, name: str, value: object, attrs: Mapping[str, object] | None) -> Context:
        context = super().get_context(name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        return context

    def use_required_attribute(self, initial: object) -> bool:
        """``required`` only when the first option is empty (otherwise it is invalid HTML)."""
        if not super().use_required_attribute(initial):
            return False
        if self.allow_multiple_selected:
            return True
        first = next(iter(self.choices), None)
        return first is not None and first[0] in (None, "")


class SelectMultiple(Select):
    allow_multiple_selected = True

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        return False  # nothing selected submits nothing


class NullBooleanSelect(Select):
    """Unknown / Yes / No, read as None / True / False."""

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        super().__init__(attrs, (("unknown", "Unknown"), ("true", "Yes"), ("false", "No")))

    def format_value(self, value: object) -> object:
        if value is True or value in ("true", "2"):
            return ["true"]
        if value is False or value in ("false", "3"):
            return ["false"]
        return ["unknown"]

    def value_from_datadict(self, data: FormData, files: FormData, name: str) -> object:
        value = data.get(name)
        if value is True or value in ("True", "true", "2"):
            return True
        if value is False or value in ("False", "false", "3"):
            return False
        return None


class RadioSelect(ChoiceWidget):
    """One radio button per choice, in a ``<div>``, grouped in a ``<fieldset>`` when rendered."""

    input_type = "radio"
    template_name = "djanco/forms/widgets/radio.html"
    option_template_name = "djanco/forms/widgets/radio_option.html"
    use_fieldset = True

    def id_for_label(self, id_: str) -> str:
        return ""  # a label for the group would point at the first button only


class CheckboxSelectMultiple(RadioSelect):
    """One checkbox per choice; several may be ticked."""

    allow_multiple_selected = True
    input_type = "checkbox"
    template_name = "djanco/forms/widgets/checkbox_select.html"
    option_template_name = "djanco/forms/widgets/checkbox_option.html"

    def use_required_attribute(self, initial: object) -> bool:
        return False  # the browser would demand every box ticked

    def value_omitted_from_data(self, data: FormData, files: FormData, name: str) -> bool:
        return False
