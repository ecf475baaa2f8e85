"""The generic ``Field[T]`` every form field derives from.

A field declared on a form class is a descriptor: ``ArticleForm.title`` is the field itself,
``form.title`` the form's ``BoundField[T]`` for it, whose ``cleaned_value`` is a ``T``.
``required=False`` picks the optional cleaned type through the ``__init__`` overloads of each
field class (annotated on ``self``, as the model fields do).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Generic, Self, TypedDict, TypeVar, overload

from djanco.core.exceptions import ValidationError
from djanco.core.validators import Validator
from djanco.forms.errors import ErrorGroup, split_errors
from djanco.forms.utils import shallow_copy
from djanco.forms.widgets import HiddenInput, TextInput, Widget
from djanco.utils.flow import Flow

if TYPE_CHECKING:
    from djanco.forms.boundfield import BoundField
    from djanco.forms.forms import BaseForm

__all__ = ["EMPTY_VALUES", "Field", "FieldOptions"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one

EMPTY_VALUES: tuple[object, ...] = (None, "", [], (), {})
"""Values that count as "nothing submitted"."""


class FieldOptions(TypedDict, total=False):
    """Options every form field accepts, with Django's meaning."""

    widget: Widget | type[Widget]
    label: str | None
    initial: object
    help_text: str
    error_messages: Mapping[str, str] | None
    show_hidden_initial: bool
    validators: Sequence[Validator]
    localize: bool
    disabled: bool
    label_suffix: str | None
    template_name: str | None


class Field(Generic[_T]):
    """A form field: turns submitted text into a ``_T`` (``clean()``) and back for display."""

    default_widget: ClassVar[type[Widget]] = TextInput
    """The widget used when none is given (Django's class attribute ``widget``)."""
    hidden_widget: ClassVar[type[Widget]] = HiddenInput
    default_validators: ClassVar[Sequence[Validator]] = ()
    default_error_messages: ClassVar[Mapping[str, str]] = {"required": "This field is required."}
    empty_values: ClassVar[tuple[object, ...]] = EMPTY_VALUES

    declared_name: str | None = None
    """The attribute name the field was declared under on a form class."""

    def __init__(
        self,
        *,
        required: bool = True,
        widget: Widget | type[Widget] | None = None,
        label: str | None = None,
        initial: object = None,
        help_text: str = "",
        error_messages: Mapping[str, str] | None = None,
        show_hidden_initial: bool = False,
        validators: Sequence[Validator] = (),
        localize: bool = False,
        disabled: bool = False,
        label_suffix: str | None = None,
        template_name: str | None = None,
    ) -> None:
        self.required = required
        self.label = label
        self.initial = initial
        self.help_text = help_text
        self.show_hidden_initial = show_hidden_initial
        self.localize = localize
        self.disabled = disabled
        self.label_suffix = label_suffix
        self.template_name = template_name
        chosen = widget or self.default_widget
        self.widget: Widget = chosen() if isinstance(chosen, type) else copy.deepcopy(chosen)
        self.widget.is_localized = localize
        self.widget.is_required = required
        self.widget.attrs.update(self.widget_attrs(self.widget))
        messages: dict[str, str] = {}
        for klass in reversed(type(self).__mro__):
            messages.update(getattr(klass, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages
        self.validators: list[Validator] = [*self.default_validators, *validators]

    # --- the descriptor -------------------------------------------------------------------

    def __set_name__(self, owner: type[object], name: str) -> None:
        if self.declared_name is None:  # a second name is refused by the form class
            self.declared_name = name

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: type[object]) -> Self: ...
        @overload
        def __get__(self, instance: BaseForm, owner: type[object]) -> BoundField[_T]: ...
        def __get__(
            self, instance: BaseForm | None, owner: type[object]
        ) -> Self | BoundField[_T]: ...

    else:

        def __get__(self, instance, owner):
            if instance is None:
                return self
            try:
                return instance[self.declared_name]
            except KeyError:
                raise AttributeError(
                    f"{type(instance).__name__} has no field {self.declared_name!r} "
                    "(it was removed from form.fields)"
                ) from None

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        clone = shallow_copy(self)
        memo[id(self)] = clone
        clone.widget = self.widget.__deepcopy__(memo)
        clone.error_messages = self.error_messages.copy()
        clone.validators = self.validators[:]
        return clone

    # --- cleaning ---------------------------------------------------------------------------

    def to_python(self, value: object) -> object:
        """Convert submitted data to this field's Python type; ValidationError if it can't."""
        return value

    def validate(self, value: object) -> None:
        """Checks that need the field itself (required, choices); validators run after."""
        if self.required and value in self.empty_values:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: object) -> None:
        if value in self.empty_values:
            return
        errors: list[ValidationError] = []
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                errors.extend(self._with_own_message(exc))
        if errors:
            raise ErrorGroup(errors)

    def _with_own_message(self, exc: ValidationError) -> list[ValidationError]:
        """The validator's errors, with this field's message where it has one for the code."""
        if exc.code is not None and exc.code in self.error_messages:
            message = self.error_messages[exc.code]
            return [ValidationError(message, code=exc.code, params=exc.params)]
        return split_errors(exc)

    def clean(self, value: object) -> object:
        """The cleaned value (a ``_T``); ValidationError listing every problem otherwise."""
        value = self.to_python(value)
        self.validate(value)
        self.run_validators(value)
        return value

    def clean_flow(self, value: object) -> Flow[object]:
        """``clean()`` as a flow of database steps (``djanco.utils.flow``).

        Fields that look values up in the database (model choices) yield their queries here,
        so a form validates with the sync or the async ORM; other fields yield nothing.
        """
        return self.clean(value)
        yield  # unreachable: makes this a generator with no steps

    async def aload(self) -> None:
        """Load, with the async ORM, what rendering this field reads from the database.

        Nothing for most fields; model choice fields fetch their choices.
        """

    # --- display ----------------------------------------------------------------------------

    def prepare_value(self, value: object) -> object:
        """A value (initial or submitted) as the widget should show it."""
        return value

    def bound_data(self, data: object, initial: object) -> object:
        """What a bound form shows: the submitted data (the initial value if disabled)."""
        return initial if self.disabled else data

    def widget_attrs(self, widget: Widget) -> dict[str, object]:
        """HTML attributes this field adds to its widget (e.g. ``maxlength``)."""
        return {}

    def has_changed(self, initial: object, data: object) -> bool:
        """Whether the submitted ``data`` differs from ``initial`` (None and "" are equal)."""
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return (initial if initial is not None else "") != (data if data is not None else "")
