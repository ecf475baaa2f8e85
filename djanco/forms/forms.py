"""``Form``: fields declared as class attributes, bound to submitted data, validated, rendered.

Validation is a flow of database steps (``djanco.utils.flow``): plain fields have none, model
choices and ModelForm uniqueness do. ``is_valid()`` runs it with the sync ORM and
``await ais_valid()`` with the async ORM, from one implementation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar, cast

from djanco.core.exceptions import NON_FIELD_ERRORS, SynchronousOnlyOperation, ValidationError
from djanco.forms.boundfield import BoundField
from djanco.forms.errors import ErrorDict, ErrorList, split_errors
from djanco.forms.fields.base import Field
from djanco.forms.fields.files import FileField
from djanco.forms.renderers import RenderableFormMixin
from djanco.forms.widgets import FormData, Widget
from djanco.utils.flow import Flow, arun, run

__all__ = ["BaseForm", "Form"]

# Set on every form instance: a field declared under one of these names would be hidden.
_INSTANCE_ATTRIBUTES = frozenset(
    {"data", "files", "is_bound", "auto_id", "initial", "error_class", "empty_permitted"}
    | {"fields", "cleaned_data", "label_suffix", "prefix", "instance"}
)


def _declared_fields(cls: type[BaseForm]) -> dict[str, Field[Any]]:
    """The fields of ``cls`` and its bases: bases first; ``name = None`` removes one."""
    reserved = _reserved_names(cls)
    fields: dict[str, Field[Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Field):
                if name in reserved:
                    raise TypeError(
                        f"{cls.__qualname__}.{name}: a form field cannot be called {name!r}, "
                        "which forms use themselves; add it in __init__ with "
                        f"self.fields[{name!r}] = ... and read it as form[{name!r}]."
                    )
                if value.declared_name != name:
                    raise TypeError(
                        f"{cls.__qualname__}.{name}: this field object is already declared as "
                        f"{value.declared_name!r}; forms may share a field under one name only."
                    )
                fields[name] = value
            elif value is None and name in fields:
                del fields[name]
    return fields


def _reserved_names(cls: type[BaseForm]) -> set[str]:
    names = set(_INSTANCE_ATTRIBUTES)
    for klass in cls.__mro__:
        if klass.__module__.startswith("djanco.forms."):
            names.update(
                name
                for name, value in vars(klass).items()
                if not name.startswith("_") and not isinstance(value, Field)
            )
    return names


class BaseForm(RenderableFormMixin):
    """The machinery of every form; subclass ``Form`` (or ``ModelForm``) to declare fields."""

    declared_fields: ClassVar[dict[str, Field[Any]]] = {}
    """The fields declared on the class and its bases, in declaration order."""
    base_fields: ClassVar[dict[str, Field[Any]]] = {}
    """The fields every instance starts with (ModelForm adds the model's)."""
    field_order: ClassVar[Sequence[str] | None] = None
    prefix: str | None = None
    use_required_attribute = True
    error_css_class: str | None = None
    required_css_class: str | None = None

    template_name = "djanco/forms/div.html"
    template_name_div = "djanco/forms/div.html"
    template_name_p = "djanco/forms/p.html"
    template_name_table = "djanco/forms/table.html"
    template_name_ul = "djanco/forms/ul.html"
    template_name_label = "djanco/forms/label.html"
    field_template_name = "djanco/forms/field.html"

    cleaned_data: dict[str, Any]
    """The cleaned values of the fields that validated (set by validation)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.declared_fields = _declared_fields(cls)
        cls.base_fields = dict(cls.declared_fields)

    def __init__(
        self,
        data: FormData | None = None,
        files: FormData | None = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        initial: Mapping[str, object] | None = None,
        error_class: type[ErrorList] = ErrorList,
        label_suffix: str | None = None,
        empty_permitted: bool = False,
        field_order: Sequence[str] | None = None,
        use_required_attribute: bool | None = None,
    ) -> None:
        self.is_bound = data is not None or files is not None
        self.data: FormData = {} if data is None else data
        self.files: FormData = {} if files is None else files
        self.auto_id = auto_id
        if prefix is not None:
            self.prefix = prefix
        self.initial: dict[str, object] = dict(initial or {})
        self.error_class = error_class
        self.label_suffix = ":" if label_suffix is None else label_suffix
        self.empty_permitted = empty_permitted
        self._errors: ErrorDict | None = None
        memo: dict[int, object] = {}
        self.fields: dict[str, Field[Any]] = {
            name: field.__deepcopy__(memo) for name, field in self.base_fields.items()
        }
        self._bound_fields_cache: dict[str, BoundField[Any]] = {}
        self.order_fields(self.field_order if field_order is None else field_order)
        if use_required_attribute is not None:
            self.use_required_attribute = use_required_attribute
        if self.empty_permitted and self.use_required_attribute:
            raise ValueError(
                "The empty_permitted and use_required_attribute arguments may not both be "
                "set to True."
            )

    def order_fields(self, field_order: Sequence[str] | None) -> None:
        """Put the named fields first, in that order (unknown names are ignored)."""
        if field_order is None:
            return
        ordered = {name: self.fields.pop(name) for name in field_order if name in self.fields}
        self.fields = {**ordered, **self.fields}

    def __repr__(self) -> str:
        valid = "Unknown" if self._errors is None else str(self.is_bound and not self._errors)
        return (
            f"<{type(self).__name__} bound={self.is_bound}, valid={valid}, "
            f"fields=({';'.join(self.fields)})>"
        )

    # --- bound fields -----------------------------------------------------------------------

    def __iter__(self) -> Iterator[BoundField[object]]:
        for name in self.fields:
            yield self[name]

    def __getitem__(self, name: str) -> BoundField[object]:
        """The BoundField for the field ``name`` (``form["title"]``)."""
        try:
            return self._bound_fields_cache[name]
        except KeyError:
            pass
        try:
            field = self.fields[name]
        except KeyError:
            raise KeyError(
                f"Key {name!r} not found in '{type(self).__name__}'. "
                f"Choices are: {', '.join(sorted(self.fields))}."
            ) from None
        bound: BoundField[object] = BoundField(self, field, name)
        self._bound_fields_cache[name] = bound
        return bound

    def _bound_items(self) -> Iterator[tuple[str, BoundField[object]]]:
        for name in self.fields:
            yield name, self[name]

    def add_prefix(self, field_name: str) -> str:
        """``field_name`` as submitted: ``"<prefix>-<name>"`` when the form has a prefix."""
        return f"{self.prefix}-{field_name}" if self.prefix else field_name

    def add_initial_prefix(self, field_name: str) -> str:
        """The name of the hidden input holding a field's initial value."""
        return f"initial-{self.add_prefix(field_name)}"

    def _widget_data_value(self, widget: Widget, html_name: str) -> object:
        return widget.value_from_datadict(self.data, self.files, html_name)

    def get_initial_for_field(self, field: Field[Any], field_name: str) -> object:
        """The initial value: the form's ``initial``, else the field's (callables are called)."""
        value = self.initial.get(field_name, field.initial)
        if callable(value):
            value = value()
        if isinstance(value, dt.datetime | dt.time) and not field.widget.supports_microseconds:
            value = value.replace(microsecond=0)
        return value

    def hidden_fields(self) -> list[BoundField[object]]:
        return [bound for bound in self if bound.is_hidden]

    def visible_fields(self) -> list[BoundField[object]]:
        return [bound for bound in self if not bound.is_hidden]

    def is_multipart(self) -> bool:
        """Whether the form needs ``enctype="multipart/form-data"`` (it has a file input)."""
        return any(field.widget.needs_multipart_form for field in self.fields.values())

    # --- validation -------------------------------------------------------------------------

    @property
    def errors(self) -> ErrorDict:
        """Field name → messages (``"__all__"`` for the others); validates on first use."""
        if self._errors is None:
            self.full_clean()
        return cast(ErrorDict, self._errors)

    def is_valid(self) -> bool:
        """Whether the form is bound and its data valid (validates with the sync ORM)."""
        return self.is_bound and not self.errors

    async def ais_valid(self) -> bool:
        """``is_valid()`` for async code: database checks run with the async ORM."""
        if self._errors is None:
            await self.afull_clean()
        return self.is_bound and not self._errors

    def full_clean(self) -> None:
        """Validate every field, then the form; fills ``errors`` and ``cleaned_data``."""
        try:
            run(self._clean_flow())
        except SynchronousOnlyOperation as exc:
            raise SynchronousOnlyOperation(
                f"{exc} Validating {type(self).__name__} queries the database: in async code "
                "use 'await form.ais_valid()' instead of is_valid() or errors."
            ) from exc

    async def afull_clean(self) -> None:
        await arun(self._clean_flow())

    async def aload(self) -> None:
        """Load what rendering reads from the database (model choices), with the async ORM.

        Sync code need not call it: the choices load when the form renders. An async view
        awaits it before rendering a form with model choices.
        """
        for field in self.fields.values():
            await field.aload()

    def _clean_flow(self) -> Flow[None]:
        self._errors = ErrorDict()
        if not self.is_bound:
            return
        self.cleaned_data = {}
        if self.empty_permitted and not self.has_changed():
            return
        yield from self._clean_fields_flow()
        self._clean_form()
        yield from self._post_clean_flow()

    def _clean_fields_flow(self) -> Flow[None]:
        for name, bound in self._bound_items():
            field = bound.field
            value = bound.initial if field.disabled else bound.data
            try:
                if isinstance(field, FileField):
                    cleaned = field.clean(value, bound.initial)
                else:
                    cleaned = yield from field.clean_flow(value)
                self.cleaned_data[name] = cleaned
                hook = getattr(self, f"clean_{name}", None)
                if hook is not None:
                    self.cleaned_data[name] = hook()
            except ValidationError as exc:
                self.add_error(name, exc)

    def _clean_form(self) -> None:
        try:
            cleaned = self.clean()
        except ValidationError as exc:
            self.add_error(None, exc)
        else:
            if cleaned is not None:
                self.cleaned_data = cleaned

    def _post_clean_flow(self) -> Flow[None]:
        """Validation after ``clean()`` (ModelForm checks the model and uniqueness here)."""
        self._post_clean()
        return
        yield  # unreachable: a flow without steps

    def _post_clean(self) -> None:
        """A hook run after ``clean()``, as in Django."""

    def clean(self) -> dict[str, Any] | None:
        """Form-wide validation, after each field's: raise ValidationError for problems that
        concern several fields (or call ``add_error()``) and return ``cleaned_data``."""
        return self.cleaned_data

    def add_error(self, field: str | None, error: ValidationError | str | list[str]) -> None:
        """Record ``error`` against ``field`` (``None``: the whole form) and drop the field's
        cleaned value. A ValidationError holding a dict names its fields itself."""
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if error.error_dict is not None:
            if field is not None:
                raise TypeError(
                    "The argument `field` must be `None` when the `error` argument contains "
                    "errors for multiple fields."
                )
            by_field = {
                name: [ValidationError(message) for message in messages]
                for name, messages in error.error_dict.items()
            }
        else:
            by_field = {field or NON_FIELD_ERRORS: split_errors(error)}
        errors = self.errors
        for name, field_errors in by_field.items():
            if name not in errors:
                if name == NON_FIELD_ERRORS:
                    errors[name] = self.error_class(error_class="nonfield")
                elif name in self.fields:
                    errors[name] = self.error_class(field_id=self[name].auto_id)
                else:
                    raise ValueError(f"'{type(self).__name__}' has no field named '{name}'.")
            errors[name].extend(field_errors)
            if hasattr(self, "cleaned_data"):
                self.cleaned_data.pop(name, None)

    def has_error(self, field: str, code: str | None = None) -> bool:
        """Whether ``field`` (``"__all__"`` for the form) has an error (with ``code``)."""
        errors = self.errors.get(field)
        if not errors:
            return False
        return code is None or any(error.code == code for error in errors.as_data())

    def non_field_errors(self) -> ErrorList:
        """The errors that belong to no field (from ``clean()``)."""
        return self.errors.get(NON_FIELD_ERRORS) or self.error_class(error_class="nonfield")

    @cached_property
    def changed_data(self) -> list[str]:
        """The names of the fields whose submitted value differs from the initial one."""
        return [name for name, bound in self._bound_items() if bound.has_changed()]

    def has_changed(self) -> bool:
        return bool(self.changed_data)

    # --- rendering --------------------------------------------------------------------------

    def get_context(self) -> dict[str, object]:
        fields: list[tuple[BoundField[object], ErrorList]] = []
        hidden: list[BoundField[object]] = []
        top_errors = self.error_class(self.non_field_errors().as_data(), error_class="nonfield")
        for name, bound in self._bound_items():
            if bound.is_hidden:
                top_errors.extend(f"(Hidden field {name}) {message}" for message in bound.errors)
                hidden.append(bound)
            else:
                fields.append((bound, bound.errors))
        return {"form": self, "fields": fields, "hidden_fields": hidden, "errors": top_errors}


class Form(BaseForm):
    """A form whose fields are class attributes::

    class ContactForm(forms.Form):
        subject = forms.CharField(max_length=100)
        sender = forms.EmailField()
        cc_myself = forms.BooleanField(required=False)
    """
