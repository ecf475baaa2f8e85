"""Formsets: several copies of one form on a page, counted by a management form.

``formset_factory(ArticleForm, extra=2)`` builds a ``BaseFormSet[ArticleForm]`` subclass.
Each form's fields are prefixed ``<prefix>-<index>-<name>`` (prefix ``form`` by default) and
the hidden management form carries ``<prefix>-TOTAL_FORMS``, ``-INITIAL_FORMS``,
``-MIN_NUM_FORMS`` and ``-MAX_NUM_FORMS``, with Django's names, so Django's scripts that add
forms on the page keep working.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar, overload

from djanco.core.exceptions import SynchronousOnlyOperation, ValidationError
from djanco.forms.errors import ErrorList
from djanco.forms.fields import BooleanField, IntegerField
from djanco.forms.forms import BaseForm, Form
from djanco.forms.renderers import RenderableFormMixin
from djanco.forms.widgets import CheckboxInput, HiddenInput, NumberInput, Widget
from djanco.utils.flow import Flow, arun, run

__all__ = [
    "DEFAULT_MAX_NUM",
    "DELETION_FIELD_NAME",
    "ORDERING_FIELD_NAME",
    "BaseFormSet",
    "ManagementForm",
    "all_valid",
    "formset_factory",
]

TOTAL_FORM_COUNT = "TOTAL_FORMS"
INITIAL_FORM_COUNT = "INITIAL_FORMS"
MIN_NUM_FORM_COUNT = "MIN_NUM_FORMS"
MAX_NUM_FORM_COUNT = "MAX_NUM_FORMS"
ORDERING_FIELD_NAME = "ORDER"
DELETION_FIELD_NAME = "DELETE"
DEFAULT_MIN_NUM = 0
DEFAULT_MAX_NUM = 1000
"""The default ``max_num``; with it, at most 2000 forms are ever built from submitted data."""

_F = TypeVar("_F", bound=BaseForm)
_FS = TypeVar("_FS", bound="BaseFormSet[Any]")


class ManagementForm(Form):
    """The hidden counts that tell the server how many forms were submitted."""

    TOTAL_FORMS = IntegerField(widget=HiddenInput)
    INITIAL_FORMS = IntegerField(widget=HiddenInput)
    # Rendered for scripts on the page; their submitted values are not used.
    MIN_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)
    MAX_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # With missing or broken counts, no form was submitted.
        cleaned.setdefault(TOTAL_FORM_COUNT, 0)
        cleaned.setdefault(INITIAL_FORM_COUNT, 0)
        return cleaned


class BaseFormSet(RenderableFormMixin, Generic[_F]):
    """A list of forms of one class; build subclasses with ``formset_factory()``."""

    form: type[_F]
    extra: ClassVar[int] = 1
    can_order: ClassVar[bool] = False
    can_delete: ClassVar[bool] = False
    can_delete_extra: ClassVar[bool] = True
    min_num: ClassVar[int] = DEFAULT_MIN_NUM
    max_num: ClassVar[int] = DEFAULT_MAX_NUM
    absolute_max: ClassVar[int] = DEFAULT_MAX_NUM * 2
    validate_min: ClassVar[bool] = False
    validate_max: ClassVar[bool] = False
    deletion_widget: ClassVar[type[Widget]] = CheckboxInput
    ordering_widget: ClassVar[type[Widget]] = NumberInput
    default_error_messages: ClassVar[Mapping[str, str]] = {
        "missing_management_form": (
            "ManagementForm data is missing or has been tampered with. Missing fields: "
            "%(field_names)s. You may need to file a bug report if the issue persists."
        ),
        "too_many_forms": "Please submit at most %(num)d forms.",
        "too_few_forms": "Please submit at least %(num)d forms.",
    }
    template_name = "djanco/forms/formsets/div.html"
    template_name_div = "djanco/forms/formsets/div.html"
    template_name_p = "djanco/forms/formsets/p.html"
    template_name_table = "djanco/forms/formsets/table.html"
    template_name_ul = "djanco/forms/formsets/ul.html"

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, object] | None = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        initial: Sequence[Mapping[str, object]] | None = None,
        error_class: type[ErrorList] = ErrorList,
        form_kwargs: Mapping[str, Any] | None = None,
        error_messages: Mapping[str, str] | None = None,
    ) -> None:
        self.is_bound = data is not None or files is not None
        self.prefix = prefix or self.get_default_prefix()
        self.auto_id = auto_id
        self.data: Mapping[str, object] = {} if data is None else data
        self.files: Mapping[str, object] = {} if files is None else files
        self.initial = list(initial) if initial else None
        self.form_kwargs: dict[str, Any] = dict(form_kwargs or {})
        self.error_class = error_class
        self._errors: list[Any] | None = None
        self._non_form_errors: ErrorList | None = None
        messages: dict[str, str] = {}
        for klass in reversed(type(self).__mro__):
            messages.update(getattr(klass, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages

    @classmethod
    def get_default_prefix(cls) -> str:
        return "form"

    def __iter__(self) -> Iterator[_F]:
        return iter(self.forms)

    def __getitem__(self, index: int) -> _F:
        return self.forms[index]

    def __len__(self) -> int:
        return len(self.forms)

    def __bool__(self) -> bool:
        return True  # a formset always has its management form

    def __repr__(self) -> str:
        valid = "Unknown" if self._errors is None else str(self.is_valid())
        return (
            f"<{type(self).__qualname__}: bound={self.is_bound} valid={valid} "
            f"total_forms={self.total_form_count()}>"
        )

    # --- counting and building forms --------------------------------------------------------

    @cached_property
    def management_form(self) -> ManagementForm:
        """The hidden count fields; bound to the submitted data when the formset is."""
        if self.is_bound:
            form = ManagementForm(self.data, auto_id=self.auto_id, prefix=self.prefix)
            form.full_clean()
            return form
        return ManagementForm(
            auto_id=self.auto_id,
            prefix=self.prefix,
            initial={
                TOTAL_FORM_COUNT: self.total_form_count(),
                INITIAL_FORM_COUNT: self.initial_form_count(),
                MIN_NUM_FORM_COUNT: self.min_num,
                MAX_NUM_FORM_COUNT: self.max_num,
            },
        )

    def total_form_count(self) -> int:
        """How many forms there are (never more than ``absolute_max`` from submitted data)."""
        if self.is_bound:
            submitted: int = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
            return max(0, min(submitted, self.absolute_max))
        initial_forms = self.initial_form_count()
        total = max(initial_forms, self.min_num) + self.extra
        if initial_forms > self.max_num >= 0:
            return initial_forms  # every existing object is shown, even beyond max_num
        if total > self.max_num >= 0:
            return self.max_num
        return total

    def initial_form_count(self) -> int:
        """How many of the forms edit existing data (the rest are extra, blank forms)."""
        if self.is_bound:
            submitted: int = self.management_form.cleaned_data[INITIAL_FORM_COUNT]
            return max(0, min(submitted, self.total_form_count()))
        return len(self.initial) if self.initial else 0

    @cached_property
    def forms(self) -> list[_F]:
        """The forms, built on first use."""
        return [
            self._construct_form(i, **self.get_form_kwargs(i))
            for i in range(self.total_form_count())
        ]

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        """Extra keyword arguments for form ``index`` (None: the empty form)."""
        return dict(self.form_kwargs)

    def _construct_form(self, i: int, **kwargs: Any) -> _F:
        defaults: dict[str, Any] = {
            "auto_id": self.auto_id,
            "prefix": self.add_prefix(i),
            "error_class": self.error_class,
            # "required" would stop the browser submitting optional and deleted forms.
            "use_required_attribute": False,
        }
        if self.is_bound:
            defaults["data"] = self.data
            defaults["files"] = self.files
        if self.initial and "initial" not in kwargs and i < len(self.initial):
            defaults["initial"] = self.initial[i]
        if i >= self.initial_form_count() and i >= self.min_num:
            defaults["empty_permitted"] = True  # an untouched extra form is simply ignored
        defaults.update(kwargs)
        form = self.form(**defaults)
        self.add_fields(form, i)
        return form

    @property
    def initial_forms(self) -> list[_F]:
        return self.forms[: self.initial_form_count()]

    @property
    def extra_forms(self) -> list[_F]:
        return self.forms[self.initial_form_count() :]

    @property
    def empty_form(self) -> _F:
        """A blank form with ``__prefix__`` in place of its index, for scripts to copy."""
        form = self.form(
            **{
                **self.get_form_kwargs(None),
                "auto_id": self.auto_id,
                "prefix": self.add_prefix("__prefix__"),
                "empty_permitted": True,
                "use_required_attribute": False,
            }
        )
        self.add_fields(form, None)
        return form

    def add_prefix(self, index: int | str) -> str:
        return f"{self.prefix}-{index}"

    def add_fields(self, form: _F, index: int | None) -> None:
        """Add the ORDER and DELETE fields (when enabled) to ``form``."""
        initial_count = self.initial_form_count()
        if self.can_order:
            existing = index is not None and index < initial_count
            form.fields[ORDERING_FIELD_NAME] = IntegerField(
                label="Order",
                initial=index + 1 if existing and index is not None else None,
                required=False,
                widget=self.ordering_widget,
            )
        if self.can_delete and (
            self.can_delete_extra or (index is not None and index < initial_count)
        ):
            form.fields[DELETION_FIELD_NAME] = BooleanField(
                label="Delete", required=False, widget=self.deletion_widget
            )

    # --- validation -------------------------------------------------------------------------

    @property
    def errors(self) -> list[Any]:
        """Each form's ``errors`` (except those of forms marked for deletion)."""
        if self._errors is None:
            self.full_clean()
        return self._errors or []

    def non_form_errors(self) -> ErrorList:
        """Errors of the whole set (counts, ``clean()``)."""
        if self._non_form_errors is None:
            self.full_clean()
        assert self._non_form_errors is not None
        return self._non_form_errors

    def total_error_count(self) -> int:
        return len(self.non_form_errors()) + sum(len(errors) for errors in self.errors)

    def _should_delete_form(self, form: BaseForm) -> bool:
        return bool(getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME, False))

    def is_valid(self) -> bool:
        """Whether every form (not marked for deletion) and the set as a whole are valid."""
        if not self.is_bound:
            return False
        if self._errors is None:
            self.full_clean()
        return self._valid()

    async def ais_valid(self) -> bool:
        """``is_valid()`` with the async ORM for the database checks."""
        if not self.is_bound:
            return False
        if self._errors is None:
            await self.afull_clean()
        return self._valid()

    def _valid(self) -> bool:
        forms_valid = all(
            form.is_valid()
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
        )
        return forms_valid and not self.non_form_errors()

    def full_clean(self) -> None:
        """Validate every form, then the set; fills ``errors`` and ``non_form_errors()``."""
        try:
            run(self._clean_flow())
        except SynchronousOnlyOperation as exc:
            raise SynchronousOnlyOperation(
                f"{exc} In async code use 'await formset.ais_valid()'."
            ) from exc

    async def afull_clean(self) -> None:
        await arun(self._clean_flow())

    async def aload(self) -> None:
        """Load with the async ORM what the forms read from the database, before rendering."""
        for form in self.forms:
            await form.aload()

    def _clean_flow(self) -> Flow[None]:
        self._errors = []
        self._non_form_errors = self.error_class(error_class="nonform")
        if not self.is_bound:
            return
        if not self.management_form.is_valid():
            missing = ", ".join(
                self.management_form.add_prefix(name) for name in self.management_form.errors
            )
            self._non_form_errors.append(
                ValidationError(
                    self.error_messages["missing_management_form"],
                    code="missing_management_form",
                    params={"field_names": missing},
                )
            )
        empty_forms = 0
        for i, form in enumerate(self.forms):
            if not form.has_changed() and i >= self.initial_form_count():
                empty_forms += 1
            if form._errors is None:
                yield from form._clean_flow()
            if self.can_delete and self._should_delete_form(form):
                continue
            self._errors.append(form.errors)
        try:
            deleted = len(self.deleted_forms)
            submitted: int = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
            too_many = self.validate_max and self.total_form_count() - deleted > self.max_num
            if too_many or submitted > self.absolute_max:
                raise ValidationError(
                    self.error_messages["too_many_forms"] % {"num": self.max_num},
                    code="too_many_forms",
                )
            remaining = self.total_form_count() - deleted - empty_forms
            if self.validate_min and remaining < self.min_num:
                raise ValidationError(
                    self.error_messages["too_few_forms"] % {"num": self.min_num},
                    code="too_few_forms",
                )
            self.clean()
            yield from self._post_clean_flow()
        except ValidationError as exc:
            self._non_form_errors = self.error_class([exc], error_class="nonform")

    def _post_clean_flow(self) -> Flow[None]:
        """Set-wide checks after ``clean()`` (model formsets check uniqueness here)."""
        return
        yield  # unreachable: a flow without steps

    def clean(self) -> None:
        """Checks across forms, after each form's own; raise ValidationError for problems
        (shown by ``non_form_errors()``)."""

    @property
    def cleaned_data(self) -> list[dict[str, Any]]:
        """Each form's ``cleaned_data`` (AttributeError unless the set is valid)."""
        if not self.is_valid():
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'cleaned_data'")
        return [form.cleaned_data for form in self.forms]

    @property
    def deleted_forms(self) -> list[_F]:
        """The forms whose DELETE box was ticked (changed extra forms only)."""
        if not self.is_bound or not self.can_delete:
            return []
        return [
            form
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed())
            and self._should_delete_form(form)
        ]

    @property
    def ordered_forms(self) -> list[_F]:
        """The forms to keep, in the submitted ORDER (empty ORDER values last)."""
        if not self.is_valid() or not self.can_order:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'ordered_forms'")
        kept = [
            (i, form.cleaned_data.get(ORDERING_FIELD_NAME))
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed())
            and not (self.can_delete and self._should_delete_form(form))
        ]
        kept.sort(key=lambda item: (item[1] is None, item[1] or 0))
        return [self.forms[i] for i, _order in kept]

    def has_changed(self) -> bool:
        return any(form.has_changed() for form in self)

    def is_multipart(self) -> bool:
        return (self.forms[0] if self.forms else self.empty_form).is_multipart()

    # --- rendering --------------------------------------------------------------------------

    def get_context(self) -> dict[str, object]:
        return {"formset": self}


@overload
def formset_factory(
    form: type[_F],
    *,
    extra: int = 1,
    can_order: bool = False,
    can_delete: bool = False,
    max_num: int | None = None,
    validate_max: bool = False,
    min_num: int | None = None,
    validate_min: bool = False,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
) -> type[BaseFormSet[_F]]: ...
@overload
def formset_factory(
    form: type[_F],
    formset: type[_FS],
    extra: int = 1,
    can_order: bool = False,
    can_delete: bool = False,
    max_num: int | None = None,
    validate_max: bool = False,
    min_num: int | None = None,
    validate_min: bool = False,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
) -> type[_FS]: ...
def formset_factory(
    form: type[BaseForm],
    formset: type[BaseFormSet[Any]] = BaseFormSet,
    extra: int = 1,
    can_order: bool = False,
    can_delete: bool = False,
    max_num: int | None = None,
    validate_max: bool = False,
    min_num: int | None = None,
    validate_min: bool = False,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
) -> type[BaseFormSet[Any]]:
    """A formset class for ``form``: ``extra`` blank forms, at most ``max_num`` (1000).

    ``absolute_max`` (default ``max_num + 1000``) bounds the forms built from submitted data.
    """
    min_num = DEFAULT_MIN_NUM if min_num is None else min_num
    max_num = DEFAULT_MAX_NUM if max_num is None else max_num
    absolute_max = max_num + DEFAULT_MAX_NUM if absolute_max is None else absolute_max
    if max_num > absolute_max:
        raise ValueError("'absolute_max' must be greater or equal to 'max_num'.")
    name = form.__name__ + ("Set" if form.__name__.endswith("Form") else "FormSet")
    attrs = {
        "form": form,
        "extra": extra,
        "can_order": can_order,
        "can_delete": can_delete,
        "can_delete_extra": can_delete_extra,
        "min_num": min_num,
        "max_num": max_num,
        "absolute_max": absolute_max,
        "validate_min": validate_min,
        "validate_max": validate_max,
    }
    return type(name, (formset,), attrs)


def all_valid(formsets: Sequence[BaseFormSet[Any]]) -> bool:
    """Validate every formset (all of them, even after an invalid one); True if all valid."""
    return all([formset.is_valid() for formset in formsets])
