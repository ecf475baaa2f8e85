"""``ModelForm[M]``: a form built from a model's fields that creates or edits an ``M``.

::

    class ArticleForm(forms.ModelForm[Article]):
        class Meta:
            model = Article
            fields = ["title", "body", "author"]

    form = ArticleForm(request.POST, instance=article)
    if form.is_valid():              # await form.ais_valid() in async views
        article = form.save()        # await form.asave()

Validation fills the instance from the cleaned data, runs the model's own validation
(``clean_fields()`` and ``clean()``, so the model fields' validators apply) and checks
``unique`` fields, ``unique_together`` and unconditional ``UniqueConstraint`` against the
database, as a step of the validation flow: with the sync or the async ORM.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from djanco.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldError,
    ImproperlyConfigured,
    ValidationError,
)
from djanco.db import models
from djanco.forms.errors import ErrorList
from djanco.forms.fields import Field
from djanco.forms.fields.model_choice import InlineForeignKeyField
from djanco.forms.forms import BaseForm
from djanco.forms.models import (
    RelatedInitial,
    construct_instance,
    fields_for_model,
    instance_initial,
)
from djanco.forms.widgets import FormData, Widget
from djanco.utils.flow import Call, Flow, arun, run

__all__ = ["BaseModelForm", "ModelForm", "ModelFormOptions", "modelform_factory"]

_M = TypeVar("_M", bound=models.Model)


class ModelFormOptions:
    """A ModelForm's ``Meta``, read once: ``ArticleForm._meta``."""

    def __init__(self, meta: type | None) -> None:
        self.model: type[models.Model] | None = getattr(meta, "model", None)
        self.fields: Sequence[str] | str | None = getattr(meta, "fields", None)
        self.exclude: Sequence[str] | None = getattr(meta, "exclude", None)
        self.widgets: Mapping[str, Widget | type[Widget]] | None = getattr(meta, "widgets", None)
        self.labels: Mapping[str, str] | None = getattr(meta, "labels", None)
        self.help_texts: Mapping[str, str] | None = getattr(meta, "help_texts", None)
        self.error_messages: Mapping[str, Mapping[str, str]] | None = getattr(
            meta, "error_messages", None
        )
        self.field_classes: Mapping[str, type[Field[Any]]] | None = getattr(
            meta, "field_classes", None
        )
        for option in ("fields", "exclude"):
            value = getattr(self, option)
            if isinstance(value, str) and value != "__all__":
                raise TypeError(
                    f"Meta.{option} should be a list or tuple of field names, not the string "
                    f"{value!r} (did you mean [{value!r}]?)."
                )

    def includes(self, name: str) -> bool:
        """Whether the model field ``name`` is among ``fields`` and not in ``exclude``."""
        names = self.field_names
        return (names is None or name in names) and not (self.exclude and name in self.exclude)

    @property
    def field_names(self) -> Sequence[str] | None:
        """The fields asked for (None: all of them)."""
        return None if self.fields == "__all__" or isinstance(self.fields, str) else self.fields


def _model_from_type_argument(cls: type) -> type[models.Model] | None:
    """``Article`` for ``class ArticleForm(ModelForm[Article])``."""
    for base in cls.__dict__.get("__orig_bases__", ()):
        origin = typing.get_origin(base)
        if isinstance(origin, type) and issubclass(origin, BaseModelForm):
            (argument,) = typing.get_args(base)
            if isinstance(argument, type) and issubclass(argument, models.Model):
                return argument
    return None


class BaseModelForm(BaseForm, Generic[_M]):
    """A form for one model instance; see ``ModelForm``."""

    _meta: ClassVar[ModelFormOptions] = ModelFormOptions(None)
    instance: _M

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        opts = cls._meta = ModelFormOptions(getattr(cls, "Meta", None))
        if opts.model is None:
            opts.model = _model_from_type_argument(cls)
        model = opts.model
        if model is None:  # a base class for model forms, without a model yet
            return
        if opts.fields is None and opts.exclude is None:
            raise ImproperlyConfigured(
                "Creating a ModelForm without either the 'fields' attribute or the 'exclude' "
                f"attribute is prohibited; form {cls.__name__} needs updating."
            )
        derived = fields_for_model(
            model,
            opts.field_names,
            opts.exclude,
            opts.widgets,
            opts.labels,
            opts.help_texts,
            opts.error_messages,
            opts.field_classes,
        )
        unknown = [name for name, field in derived.items() if field is None]
        unknown = [name for name in unknown if name not in cls.declared_fields]
        if unknown:
            raise FieldError(
                f"Unknown field(s) ({', '.join(unknown)}) specified for {model.__name__}"
            )
        declared = cls.declared_fields
        base = {name: declared.get(name) or field for name, field in derived.items()}
        base.update(declared)  # declared fields not named in Meta come last
        cls.base_fields = {name: field for name, field in base.items() if field is not None}

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
        instance: _M | None = None,
        use_required_attribute: bool | None = None,
    ) -> None:
        opts = self._meta
        if opts.model is None:
            raise ValueError("ModelForm has no model class specified.")
        if instance is None:
            self.instance = typing.cast(_M, opts.model())
            object_data: dict[str, object] = {}
        else:
            self.instance = instance
            object_data = instance_initial(instance, opts.field_names, opts.exclude)
        object_data.update(initial or {})
        self._validate_unique = False
        super().__init__(
            data,
            files,
            auto_id,
            prefix,
            object_data,
            error_class,
            label_suffix,
            empty_permitted,
            use_required_attribute=use_required_attribute,
        )

    async def aload(self) -> None:
        """Also fetch the instance's many-to-many values (the fields' initial values)."""
        await super().aload()
        for name, value in list(self.initial.items()):
            if isinstance(value, RelatedInitial):
                self.initial[name] = await value.aget()

    # --- validation -------------------------------------------------------------------------

    def clean(self) -> dict[str, Any] | None:
        self._validate_unique = True  # as in Django: a clean() not calling super() skips it
        return self.cleaned_data

    def _post_clean_flow(self) -> Flow[None]:
        opts = self._meta
        exclude = self._get_validation_exclusions()
        try:
            construct_instance(self, self.instance, opts.field_names, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        inline_keys = {n for n, f in self.fields.items() if isinstance(f, InlineForeignKeyField)}
        try:
            self.instance.full_clean(exclude=exclude | inline_keys, validate_unique=False)
        except ValidationError as exc:
            self._update_errors(exc)
        self._post_clean()
        if self._validate_unique:
            yield from self._validate_unique_flow()

    def _get_validation_exclusions(self) -> set[str]:
        """The model fields the model's own validation skips: those not on the form, those
        that already failed, and optional empty ones the model requires (set in code)."""
        exclude: set[str] = set()
        errors: dict[str, ErrorList] = self._errors or {}
        for model_field in type(self.instance)._meta.concrete_fields:
            name = model_field.name
            if name not in self.fields or name in errors or not self._meta.includes(name):
                exclude.add(name)
                continue
            form_field = self.fields[name]
            empty = self.cleaned_data.get(name) in form_field.empty_values
            if empty and not model_field.blank and not form_field.required:
                exclude.add(name)
        return exclude

    def _update_errors(self, errors: ValidationError) -> None:
        by_field = errors.message_dict
        known = {
            name: messages
            for name, messages in by_field.items()
            if name == NON_FIELD_ERRORS or name in self.fields
        }
        if known:
            self.add_error(None, ValidationError(known))

    def validate_unique(self) -> None:
        """Check the instance's unique fields and unique sets against the database."""
        run(self._validate_unique_flow())

    def _validate_unique_flow(self) -> Flow[None]:
        instance = self.instance
        exclude = self._get_validation_exclusions()
        errors: dict[str, list[str]] = {}
        for key, group in _unique_checks(instance, exclude):
            lookup = {field.attname: instance.__dict__.get(field.attname) for field in group}
            if any(value is None for value in lookup.values()):
                continue  # NULLs never clash
            query = type(instance)._meta.default_manager.filter(**lookup)
            if not instance._state.adding and instance.pk is not None:
                query = query.exclude(pk=instance.pk)
            taken = yield Call(query.exists, query.aexists)
            if taken:
                errors.setdefault(key, []).append(_unique_message(instance, group))
        if errors:
            self._update_errors(ValidationError(errors))

    # --- saving -----------------------------------------------------------------------------

    def _check_saveable(self) -> None:
        if self.errors:
            action = "created" if self.instance._state.adding else "changed"
            raise ValueError(
                f"The {type(self.instance)._meta.object_name} could not be {action} because "
                "the data didn't validate."
            )

    def save(self, commit: bool = True) -> _M:
        """Save the instance (and its many-to-many values) and return it.

        With ``commit=False`` nothing is saved: save the instance yourself, then call
        ``save_m2m()``.
        """
        return run(self.save_flow(commit))

    async def asave(self, commit: bool = True) -> _M:
        """``save()`` with the async ORM (validating with it first if needed)."""
        if self._errors is None:
            await self.afull_clean()
        return await arun(self.save_flow(commit))

    def save_flow(self, commit: bool = True) -> Flow[_M]:
        """``save()`` as a flow of database steps (for formsets and other flows)."""
        self._check_saveable()
        if commit:
            yield Call(self.instance.save, self.instance.asave)
            yield from self._save_m2m_flow()
        return self.instance

    def save_m2m(self) -> None:
        """Save the many-to-many values (after ``save(commit=False)`` and the instance's save)."""
        run(self._save_m2m_flow())

    async def asave_m2m(self) -> None:
        await arun(self._save_m2m_flow())

    def _save_m2m_flow(self) -> Flow[None]:
        for model_field in type(self.instance)._meta.many_to_many:
            name = model_field.name
            if name not in self.cleaned_data or not self._meta.includes(name):
                continue
            manager: models.ManyRelatedManager[Any] = getattr(self.instance, name)
            objects = list(self.cleaned_data[name])
            yield Call(manager.set, manager.aset, objects)


class ModelForm(BaseModelForm[_M]):
    """A form for a model: ``class ArticleForm(ModelForm[Article])`` with a ``Meta`` naming
    ``model`` (optional when given as the type argument) and ``fields`` (a list, or
    ``"__all__"``) or ``exclude``; ``widgets``, ``labels``, ``help_texts``,
    ``error_messages`` and ``field_classes`` adjust the generated fields."""


def _unique_checks(
    instance: models.Model, exclude: set[str]
) -> list[tuple[str, tuple[models.Field[Any], ...]]]:
    """(error key, fields) for each uniqueness rule the instance must satisfy."""
    opts = instance._meta
    checks: list[tuple[str, tuple[models.Field[Any], ...]]] = []
    for field in opts.concrete_fields:
        if field.unique and field.name not in exclude:
            if field.primary_key and not instance._state.adding:
                continue
            checks.append((field.name, (field,)))
    groups = [tuple(names) for names in opts.unique_together]
    groups += [
        tuple(constraint.fields)
        for constraint in opts.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
    ]
    by_name = {field.name: field for field in opts.concrete_fields}
    for names in groups:
        if not exclude.intersection(names) and all(name in by_name for name in names):
            checks.append((NON_FIELD_ERRORS, tuple(by_name[name] for name in names)))
    return checks


def _unique_message(instance: models.Model, group: tuple[models.Field[Any], ...]) -> str:
    labels = [_capfirst(str(field.verbose_name or field.name)) for field in group]
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    return f"{_capfirst(instance._meta.verbose_name)} with this {listed} already exists."


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def modelform_factory(
    model: type[_M],
    form: type[ModelForm[_M]] = ModelForm,
    fields: Sequence[str] | str | None = None,
    exclude: Sequence[str] | None = None,
    widgets: Mapping[str, Widget | type[Widget]] | None = None,
    labels: Mapping[str, str] | None = None,
    help_texts: Mapping[str, str] | None = None,
    error_messages: Mapping[str, Mapping[str, str]] | None = None,
    field_classes: Mapping[str, type[Field[Any]]] | None = None,
) -> type[ModelForm[_M]]:
    """A ModelForm class for ``model``; ``fields`` or ``exclude`` is required."""
    options = {
        "model": model,
        "fields": fields,
        "exclude": exclude,
        "widgets": widgets,
        "labels": labels,
        "help_texts": help_texts,
        "error_messages": error_messages,
        "field_classes": field_classes,
    }
    attrs = {name: value for name, value in options.items() if value is not None}
    parent_meta = getattr(form, "Meta", None)
    meta = type("Meta", (parent_meta,) if parent_meta else (), attrs)
    if getattr(meta, "fields", None) is None and getattr(meta, "exclude", None) is None:
        raise ImproperlyConfigured(
            "Calling modelform_factory without defining 'fields' or 'exclude' explicitly is "
            "prohibited."
        )
    return type(f"{model.__name__}Form", (form,), {"Meta": meta})
