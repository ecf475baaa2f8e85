"""Model formsets: edit a queryset's objects (and add new ones) with one ModelForm each.

``modelformset_factory(Article, fields=["title"])`` edits a queryset of articles;
``inlineformset_factory(Author, Article, fields=["title"])`` edits the articles of one author
(the admin's inlines). Each form carries the object's primary key in a hidden field.
``save()`` saves changed and new objects and deletes those marked DELETE; ``await asave()``,
``await ais_valid()`` and ``await aload()`` (before rendering) use the async ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypedDict, TypeVar, cast

from typing_extensions import Unpack

from djanco.core.exceptions import ImproperlyConfigured, ValidationError
from djanco.db import models
from djanco.forms.errors import ErrorList
from djanco.forms.fields import Field
from djanco.forms.fields.model_choice import InlineForeignKeyField, ModelChoiceField
from djanco.forms.formsets import BaseFormSet, formset_factory
from djanco.forms.modelform import ModelForm, modelform_factory
from djanco.forms.widgets import HiddenInput, Widget
from djanco.utils.flow import Call, Flow, arun, run

__all__ = [
    "BaseInlineFormSet",
    "BaseModelFormSet",
    "ModelFormSetOptions",
    "inlineformset_factory",
    "modelformset_factory",
]

_M = TypeVar("_M", bound=models.Model)
_P = TypeVar("_P", bound=models.Model)


class BaseModelFormSet(BaseFormSet[ModelForm[_M]], Generic[_M]):
    """A formset editing the objects of ``queryset`` (the model's default manager's by
    default); build subclasses with ``modelformset_factory()``."""

    model: ClassVar[type[models.Model]]
    edit_only: ClassVar[bool] = False
    unique_fields: set[str] = set()

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, object] | None = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        queryset: models.QuerySet[_M] | None = None,
        *,
        initial: Sequence[Mapping[str, object]] | None = None,
        error_class: type[ErrorList] = ErrorList,
        form_kwargs: Mapping[str, Any] | None = None,
        error_messages: Mapping[str, str] | None = None,
    ) -> None:
        self.queryset = queryset
        self.initial_extra = list(initial) if initial else None
        self._objects: list[_M] | None = None
        super().__init__(
            data,
            files,
            auto_id,
            prefix,
            error_class=error_class,
            form_kwargs=form_kwargs,
            error_messages=error_messages,
        )

    def get_queryset(self) -> models.QuerySet[_M]:
        """The objects the initial forms edit (ordered by primary key when unordered)."""
        query: models.QuerySet[Any] = (
            self.queryset
            if self.queryset is not None
            else self.model._meta.default_manager.get_queryset()
        )
        if not query.ordered:
            query = query.order_by(self._pk_name())
        return query

    def _pk_name(self) -> str:
        pk = self.model._meta.pk
        assert pk is not None
        return pk.name

    def existing_objects(self) -> list[_M]:
        """The queryset's objects (fetched once; ``aload()`` fetches them asynchronously)."""
        if self._objects is None:
            self._objects = list(self.get_queryset())
        return self._objects

    async def _aload_objects(self) -> None:
        if self._objects is None:
            self._objects = [obj async for obj in self.get_queryset()]

    async def aload(self) -> None:
        await self._aload_objects()
        await super().aload()

    async def ais_valid(self) -> bool:
        await self._aload_objects()
        return await super().ais_valid()

    def initial_form_count(self) -> int:
        if not self.is_bound:
            return len(self.existing_objects())
        return super().initial_form_count()

    def _existing_object(self, pk: object) -> _M | None:
        for obj in self.existing_objects():
            if obj.pk == pk:
                return obj
        return None

    def _construct_form(self, i: int, **kwargs: Any) -> ModelForm[_M]:
        existing = i < self.initial_form_count()
        if existing:
            if self.is_bound:
                submitted = self.data.get(f"{self.add_prefix(i)}-{self._pk_name()}")
                pk_field = self.model._meta.pk
                assert pk_field is not None
                try:
                    pk = pk_field.to_python(submitted)
                except ValidationError:
                    pk = None  # the form's own pk field reports the problem
                instance = self._existing_object(pk)
                if instance is not None:
                    kwargs["instance"] = instance
            else:
                kwargs["instance"] = self.existing_objects()[i]
        elif self.initial_extra:
            extra_index = i - self.initial_form_count()
            if extra_index < len(self.initial_extra):
                kwargs["initial"] = self.initial_extra[extra_index]
        form = super()._construct_form(i, **kwargs)
        if existing:
            form.fields[self._pk_name()].required = True
        return form

    def add_fields(self, form: ModelForm[_M], index: int | None) -> None:
        """Add the hidden primary key field (then ORDER and DELETE)."""
        pk = self.model._meta.pk
        assert pk is not None
        if not pk.editable or isinstance(pk, models.AutoField) or pk.name not in form.fields:
            if form.is_bound:
                pk_value = None if form.instance._state.adding else form.instance.pk
            else:
                objects = self.existing_objects() if index is not None else []
                pk_value = objects[index].pk if index is not None and index < len(objects) else None
            # Only the formset's own objects may be edited through it.
            form.fields[pk.name] = ModelChoiceField(
                self.get_queryset(),
                initial=pk_value,
                required=False,
                widget=HiddenInput,
            )
        super().add_fields(form, index)

    # --- validation -------------------------------------------------------------------------

    def clean(self) -> None:
        self.validate_unique()

    def validate_unique(self) -> None:
        """Refuse values repeated across the forms for a unique field or unique set."""
        forms = [
            form
            for form in self.forms
            if form.is_valid() and not (self.can_delete and self._should_delete_form(form))
        ]
        checks: set[tuple[str, ...]] = set()
        for form in forms:
            for names in _form_unique_checks(form):
                checks.add(names)
        messages: list[str] = []
        for names in sorted(checks):
            seen: set[tuple[object, ...]] = set()
            for form in forms:
                values = tuple(_comparable(form.cleaned_data.get(name)) for name in names)
                if any(value is None for value in values):
                    continue
                if values in seen:
                    form.add_error(None, "Please correct the duplicate values below.")
                    for name in names:
                        form.cleaned_data.pop(name, None)
                    messages.append(_duplicate_message(names))
                    break
                seen.add(values)
        if messages:
            raise ValidationError(messages)

    # --- saving -----------------------------------------------------------------------------

    def save(self, commit: bool = True) -> list[_M]:
        """Save changed and new objects, delete those marked DELETE; return the saved ones.

        With ``commit=False`` nothing is written: ``saved_forms``, ``new_objects``,
        ``changed_objects`` and ``deleted_objects`` tell what to do; then ``save_m2m()``.
        """
        return run(self._save_flow(commit))

    async def asave(self, commit: bool = True) -> list[_M]:
        if self._errors is None:
            await self.afull_clean()
        return await arun(self._save_flow(commit))

    def save_m2m(self) -> None:
        """After ``save(commit=False)``: save the many-to-many values of the saved forms."""
        for form in self.saved_forms:
            form.save_m2m()

    def _save_flow(self, commit: bool) -> Flow[list[_M]]:
        self.saved_forms: list[ModelForm[_M]] = []
        self.changed_objects: list[tuple[_M, list[str]]] = []
        self.deleted_objects: list[_M] = []
        self.new_objects: list[_M] = []
        saved: list[_M] = []
        deleted = self.deleted_forms
        for form in self.initial_forms:
            obj = form.instance
            if obj.pk is None:
                continue  # deleted meanwhile
            if form in deleted:
                self.deleted_objects.append(obj)
                if commit:
                    yield Call(obj.delete, obj.adelete)
            elif form.has_changed():
                self.changed_objects.append((obj, form.changed_data))
                saved.append((yield from self.save_existing_flow(form, obj, commit)))
                self.saved_forms.append(form)
        if not self.edit_only:
            for form in self.extra_forms:
                if not form.has_changed() or (self.can_delete and self._should_delete_form(form)):
                    continue
                self.new_objects.append((yield from self.save_new_flow(form, commit)))
                self.saved_forms.append(form)
        return saved + self.new_objects

    def save_new_flow(self, form: ModelForm[_M], commit: bool = True) -> Flow[_M]:
        """Save a new object from ``form`` (a flow; override to adjust new objects)."""
        return (yield from form.save_flow(commit))

    def save_existing_flow(self, form: ModelForm[_M], obj: _M, commit: bool = True) -> Flow[_M]:
        """Save the changed existing object ``obj`` from ``form`` (a flow)."""
        return (yield from form.save_flow(commit))


def _comparable(value: object) -> object:
    """A hashable stand-in: objects by class and key, lists as tuples."""
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, list):
        return tuple(value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _form_unique_checks(form: ModelForm[Any]) -> list[tuple[str, ...]]:
    opts = type(form.instance)._meta
    checks: list[tuple[str, ...]] = [
        (f.name,) for f in opts.concrete_fields if f.unique and not f.primary_key
    ]
    checks += [tuple(names) for names in opts.unique_together]
    checks += [
        tuple(c.fields)
        for c in opts.constraints
        if isinstance(c, models.UniqueConstraint) and c.condition is None
    ]
    return [names for names in checks if all(name in form.cleaned_data for name in names)]


def _duplicate_message(names: tuple[str, ...]) -> str:
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Please correct the duplicate data for {listed}, which must be unique."


class ModelFormSetOptions(TypedDict, total=False):
    """Options of ``modelformset_factory()`` and ``inlineformset_factory()`` (Django's)."""

    widgets: Mapping[str, Widget | type[Widget]]
    labels: Mapping[str, str]
    help_texts: Mapping[str, str]
    error_messages: Mapping[str, Mapping[str, str]]
    field_classes: Mapping[str, type[Field[Any]]]
    can_order: bool
    max_num: int | None
    validate_max: bool
    min_num: int | None
    validate_min: bool
    absolute_max: int | None
    can_delete_extra: bool
    edit_only: bool


def modelformset_factory(
    model: type[_M],
    form: type[ModelForm[_M]] = ModelForm,
    formset: type[BaseModelFormSet[Any]] = BaseModelFormSet,
    extra: int = 1,
    can_delete: bool = False,
    fields: Sequence[str] | str | None = None,
    exclude: Sequence[str] | None = None,
    **options: Unpack[ModelFormSetOptions],
) -> type[BaseModelFormSet[_M]]:
    """A formset class editing ``model`` objects with a ModelForm of ``fields``."""
    meta = getattr(form, "Meta", None)
    if getattr(meta, "fields", fields) is None and getattr(meta, "exclude", exclude) is None:
        raise ImproperlyConfigured(
            "Calling modelformset_factory without defining 'fields' or 'exclude' explicitly "
            "is prohibited."
        )
    form_class = modelform_factory(
        model,
        form,
        fields=fields,
        exclude=exclude,
        widgets=options.get("widgets"),
        labels=options.get("labels"),
        help_texts=options.get("help_texts"),
        error_messages=options.get("error_messages"),
        field_classes=options.get("field_classes"),
    )
    formset_class: type[BaseModelFormSet[_M]] = formset_factory(
        form_class,
        formset,
        extra=extra,
        can_delete=can_delete,
        can_order=options.get("can_order", False),
        max_num=options.get("max_num"),
        validate_max=options.get("validate_max", False),
        min_num=options.get("min_num"),
        validate_min=options.get("validate_min", False),
        absolute_max=options.get("absolute_max"),
        can_delete_extra=options.get("can_delete_extra", True),
    )
    formset_class.model = model
    formset_class.edit_only = options.get("edit_only", False)
    return formset_class


class BaseInlineFormSet(BaseModelFormSet[_M], Generic[_P, _M]):
    """A model formset for the objects related to one parent ``instance`` by ``fk``; build
    subclasses with ``inlineformset_factory()``."""

    # Boxed: a model field stored on a class would act as a descriptor of that class.
    _fk: ClassVar[tuple[models.ForeignKey[Any], ...]] = ()

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, object] | None = None,
        instance: _P | None = None,
        save_as_new: bool = False,
        prefix: str | None = None,
        queryset: models.QuerySet[_M] | None = None,
        **kwargs: Any,
    ) -> None:
        self.fk: models.ForeignKey[Any] = self._fk[0]
        """The ForeignKey from the formset's model to the parent model."""
        parent_model = self.fk.related_model
        self.instance: _P = (
            instance if instance is not None else cast(_P, parent_model())  # an unsaved parent
        )
        self.save_as_new = save_as_new
        base: models.QuerySet[Any] = (
            queryset if queryset is not None else self.model._meta.default_manager.all()
        )
        if self.instance.pk is not None:
            base = base.filter(**{self.fk.name: self.instance})
        else:
            base = base.none()
        self.unique_fields = {self.fk.name}
        super().__init__(data, files, prefix=prefix, queryset=base, **kwargs)

    @classmethod
    def get_default_prefix(cls) -> str:
        accessor = getattr(cls._fk[0].remote_field, "accessor_name", None)
        return str(accessor or f"{cls.model._meta.model_name}_set").replace("+", "")

    def initial_form_count(self) -> int:
        return 0 if self.save_as_new else super().initial_form_count()

    def _construct_form(self, i: int, **kwargs: Any) -> ModelForm[_M]:
        form = super()._construct_form(i, **kwargs)
        if self.save_as_new:
            form.instance.pk = None
            form.instance._state.adding = True
        parent_key = self.instance.pk
        setattr(form.instance, self.fk.attname, parent_key)
        return form

    def add_fields(self, form: ModelForm[_M], index: int | None) -> None:
        super().add_fields(form, index)
        form.fields[self.fk.name] = InlineForeignKeyField(
            self.instance,
            to_field=self.fk.to_field,
            label=form.fields.get(self.fk.name, None) and form.fields[self.fk.name].label,
        )

    def save_new_flow(self, form: ModelForm[_M], commit: bool = True) -> Flow[_M]:
        setattr(form.instance, self.fk.name, self.instance)  # the parent may be new: saved now
        return (yield from super().save_new_flow(form, commit))


def _foreign_key(
    parent_model: type[models.Model], model: type[models.Model], fk_name: str | None
) -> models.ForeignKey[Any]:
    """The ForeignKey of ``model`` to ``parent_model`` (the one named ``fk_name``)."""
    keys = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and (fk_name is None or field.name == fk_name)
    ]
    if fk_name is not None:
        if not keys:
            raise ValueError(f"'{model._meta.label}' has no field named '{fk_name}'.")
        if not issubclass(parent_model, keys[0].related_model):
            raise ValueError(
                f"fk_name '{fk_name}' is not a ForeignKey to '{parent_model._meta.label}'."
            )
        return keys[0]
    to_parent = [key for key in keys if issubclass(parent_model, key.related_model)]
    if not to_parent:
        raise ValueError(
            f"'{model._meta.label}' has no ForeignKey to '{parent_model._meta.label}'."
        )
    if len(to_parent) > 1:
        raise ValueError(
            f"'{model._meta.label}' has more than one ForeignKey to "
            f"'{parent_model._meta.label}'. You must specify a 'fk_name' attribute."
        )
    return to_parent[0]


def inlineformset_factory(
    parent_model: type[_P],
    model: type[_M],
    form: type[ModelForm[_M]] = ModelForm,
    formset: type[BaseInlineFormSet[Any, Any]] = BaseInlineFormSet,
    fk_name: str | None = None,
    fields: Sequence[str] | str | None = None,
    exclude: Sequence[str] | None = None,
    extra: int = 3,
    can_delete: bool = True,
    **options: Unpack[ModelFormSetOptions],
) -> type[BaseInlineFormSet[_P, _M]]:
    """A formset class editing the ``model`` objects of one ``parent_model`` object."""
    fk = _foreign_key(parent_model, model, fk_name)
    if fk.unique:
        options["max_num"] = 1  # a one-to-one relation has at most one object
    if isinstance(fields, list | tuple) and fk.name not in fields:
        fields = [*fields, fk.name]  # validated with the rest (unique sets that include it)
    formset_class = modelformset_factory(
        model, form, formset, extra, can_delete, fields, exclude, **options
    )
    formset_class._fk = (fk,)  # type: ignore[attr-defined]  # formset is an inline formset class
    return formset_class  # type: ignore[return-value]  # built from an inline formset class
