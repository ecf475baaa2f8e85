"""From model fields to form fields, and between model instances and form data.

Which form field a model field gets is decided here, not by the model field (forms sit above
models): a table keyed by model field class, searched along the class's MRO, so a subclass of
``models.CharField`` gets a ``forms.CharField`` unless registered otherwise::

    forms.register_form_field(
        ColorField, lambda field: (forms.CharField, {"max_length": 7})
    )

The form field gets Django's options from the model field: ``required`` (not ``blank``),
``label`` (``verbose_name``), ``help_text``, ``initial`` (``default``), ``max_length``, digits,
``choices`` (a select box), and for relations a ``ModelChoiceField`` over the related model.
Validators of the model field run when the ModelForm validates its instance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from djanco.core.exceptions import FieldError
from djanco.db import models
from djanco.forms import fields as ff
from djanco.forms.choices import BLANK_CHOICE_DASH
from djanco.forms.fields.model_choice import ModelChoiceField, ModelMultipleChoiceField
from djanco.forms.widgets import Textarea, Widget

if TYPE_CHECKING:
    from djanco.forms.forms import BaseForm

__all__ = [
    "FormFieldSpec",
    "construct_instance",
    "fields_for_model",
    "form_field_for",
    "model_to_dict",
    "register_form_field",
]

ModelField = models.Field[Any]
FormFieldSpec = Callable[[ModelField], tuple[type[ff.Field[Any]], dict[str, Any]]]
"""Given a model field: the form field class for it and the options specific to it."""

_SPECS: dict[type[ModelField], FormFieldSpec] = {}


def register_form_field(model_field_class: type[ModelField], spec: FormFieldSpec) -> None:
    """Use ``spec`` for model fields of ``model_field_class`` (and its subclasses)."""
    _SPECS[model_field_class] = spec


def _spec_for(model_field: ModelField) -> FormFieldSpec:
    for klass in type(model_field).__mro__:
        spec = _SPECS.get(klass)
        if spec is not None:
            return spec
    raise FieldError(f"No form field is registered for {type(model_field).__name__}.")


def _is_form_editable(model_field: ModelField) -> bool:
    return model_field.editable and not isinstance(model_field, models.AutoField)


def form_field_for(
    model_field: ModelField,
    form_class: type[ff.Field[Any]] | None = None,
    **options: Any,
) -> ff.Field[Any] | None:
    """The form field for ``model_field`` (None for auto and non-editable fields).

    ``form_class`` replaces the form field class; ``options`` override the derived ones.
    """
    if not _is_form_editable(model_field):
        return None
    defaults: dict[str, Any] = {
        "required": not model_field.blank,
        "label": _capfirst(str(model_field.verbose_name or model_field.name)),
        "help_text": model_field.help_text,
    }
    if model_field.has_default():
        default = model_field.default
        defaults["initial"] = default
        if callable(default):
            defaults["show_hidden_initial"] = True  # so has_changed() sees the value shown
    choices = model_field.choices
    if choices is not None and not model_field.is_relation:
        include_blank = model_field.blank or not (model_field.has_default() or "initial" in options)
        defaults["choices"] = (BLANK_CHOICE_DASH if include_blank else []) + list(choices)
        defaults["coerce"] = model_field.to_python
        if model_field.null:
            defaults["empty_value"] = None
        chosen: type[ff.Field[Any]] = form_class or ff.TypedChoiceField
    else:
        default_class, specific = _spec_for(model_field)(model_field)
        defaults.update(specific)
        chosen = form_class or default_class
    defaults.update(options)
    return chosen(**defaults)


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def editable_model_fields(model: type[models.Model]) -> list[ModelField]:
    """The fields of ``model`` a form may show, in declaration order (many-to-many too)."""
    opts = model._meta
    candidates = [*opts.concrete_fields, *opts.many_to_many]
    return sorted(candidates, key=lambda field: field.creation_counter)


def fields_for_model(
    model: type[models.Model],
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    widgets: Mapping[str, Widget | type[Widget]] | None = None,
    labels: Mapping[str, str] | None = None,
    help_texts: Mapping[str, str] | None = None,
    error_messages: Mapping[str, Mapping[str, str]] | None = None,
    field_classes: Mapping[str, type[ff.Field[Any]]] | None = None,
) -> dict[str, ff.Field[Any] | None]:
    """Form fields for ``model``'s fields (all editable ones, or ``fields``), minus ``exclude``.

    A name in ``fields`` that is not an editable model field maps to None (a declared form
    field may provide it); naming a non-editable field is a FieldError.
    """
    result: dict[str, ff.Field[Any] | None] = {}
    for model_field in editable_model_fields(model):
        name = model_field.name
        if fields is not None and name not in fields:
            continue
        if exclude and name in exclude:
            continue
        if not _is_form_editable(model_field):
            if (
                fields is not None
                and name in fields
                and not isinstance(model_field, models.AutoField)
            ):
                raise FieldError(
                    f"'{name}' cannot be specified for {model.__name__} model form as it is "
                    "a non-editable field"
                )
            continue
        options: dict[str, Any] = {}
        if widgets and name in widgets:
            options["widget"] = widgets[name]
        if labels and name in labels:
            options["label"] = labels[name]
        if help_texts and name in help_texts:
            options["help_text"] = help_texts[name]
        if error_messages and name in error_messages:
            options["error_messages"] = error_messages[name]
        form_class = field_classes.get(name) if field_classes else None
        result[name] = form_field_for(model_field, form_class, **options)
    if fields is not None:  # the order asked for; unknown names stay as None
        return {name: result.get(name) for name in fields if not (exclude and name in exclude)}
    return result


def model_to_dict(
    instance: models.Model,
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
) -> dict[str, object]:
    """The values of ``instance``'s editable fields as a form's ``initial`` takes them.

    A relation gives the related key; a many-to-many relation the list of related objects
    (queried now, with the sync ORM).
    """
    data = instance_initial(instance, fields, exclude)
    return {name: value() if callable(value) else value for name, value in data.items()}


class RelatedInitial:
    """The initial value of a many-to-many field: its objects, fetched when first needed."""

    def __init__(self, instance: models.Model, name: str) -> None:
        self.instance = instance
        self.name = name

    def _manager(self) -> models.ManyRelatedManager[Any]:
        manager: models.ManyRelatedManager[Any] = getattr(self.instance, self.name)
        return manager

    def __call__(self) -> list[object]:
        return list(self._manager().all())

    async def aget(self) -> list[object]:
        return [obj async for obj in self._manager().all()]


def instance_initial(
    instance: models.Model,
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
) -> dict[str, object]:
    """Like ``model_to_dict()``, with many-to-many values left to fetch (``RelatedInitial``)."""
    data: dict[str, object] = {}
    for model_field in editable_model_fields(type(instance)):
        name = model_field.name
        if not _is_form_editable(model_field):
            continue
        if (fields is not None and name not in fields) or (exclude and name in exclude):
            continue
        if getattr(model_field, "many_to_many", False):
            data[name] = RelatedInitial(instance, name) if instance.pk is not None else []
        else:
            data[name] = model_field.value_from_object(instance)
    return data


def construct_instance(
    form: BaseForm,
    instance: models.Model,
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
) -> models.Model:
    """Copy ``form.cleaned_data`` onto ``instance`` (not saved; many-to-many left out).

    A field left out of the submitted data keeps the model's default, as in Django.
    """
    cleaned = form.cleaned_data
    for model_field in type(instance)._meta.concrete_fields:
        name = model_field.name
        if not _is_form_editable(model_field) or name not in cleaned:
            continue
        if (fields is not None and name not in fields) or (exclude and name in exclude):
            continue
        form_field = form.fields[name]
        omitted = form_field.widget.value_omitted_from_data(
            form.data, form.files, form.add_prefix(name)
        )
        if model_field.has_default() and omitted and cleaned[name] in form_field.empty_values:
            continue
        save_form_data: Callable[[models.Model, object], None] | None = getattr(
            model_field, "save_form_data", None
        )
        if save_form_data is not None:  # a model field with its own way (files)
            save_form_data(instance, cleaned[name])
        else:
            setattr(instance, name, cleaned[name])
    return instance


# --- the built-in mapping ----------------------------------------------------------------------


def _char(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    options: dict[str, Any] = {"max_length": field.max_length}
    if field.null:
        options["empty_value"] = None
    return ff.CharField, options


def _text(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    form_class, options = _char(field)
    return form_class, {**options, "widget": Textarea}


def _same_name(form_class: type[ff.Field[Any]]) -> FormFieldSpec:
    return lambda field: (form_class, {})


def _validated_text(form_class: type[ff.Field[Any]]) -> FormFieldSpec:
    return lambda field: (form_class, _char(field)[1])


def _positive(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    return ff.IntegerField, {"min_value": 0}


def _decimal(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    digits = {"max_digits": getattr(field, "max_digits", None)}
    return ff.DecimalField, {**digits, "decimal_places": getattr(field, "decimal_places", None)}


def _boolean(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    # A checkbox left unticked is False: "required" would demand a tick.
    return (ff.NullBooleanField if field.null else ff.BooleanField), {"required": False}


def _foreign_key(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    assert isinstance(field, models.ForeignKey)  # registered for ForeignKey
    return ModelChoiceField, {
        "queryset": field.related_model._meta.default_manager,
        "to_field_name": field.to_field,
        "blank": field.blank,
    }


def _many_to_many(field: ModelField) -> tuple[type[ff.Field[Any]], dict[str, Any]]:
    assert isinstance(field, models.ManyToManyField)  # registered for ManyToManyField
    return ModelMultipleChoiceField, {"queryset": field.related_model._meta.default_manager}


for _model_class, _spec in [
    (models.Field, _same_name(ff.CharField)),
    (models.CharField, _char),
    (models.TextField, _text),
    (models.EmailField, _validated_text(ff.EmailField)),
    (models.URLField, _validated_text(ff.URLField)),
    (models.SlugField, _validated_text(ff.SlugField)),
    (models.IntegerField, _same_name(ff.IntegerField)),
    (models.PositiveIntegerField, _positive),
    (models.PositiveBigIntegerField, _positive),
    (models.PositiveSmallIntegerField, _positive),
    (models.FloatField, _same_name(ff.FloatField)),
    (models.DecimalField, _decimal),
    (models.BooleanField, _boolean),
    (models.DateField, _same_name(ff.DateField)),
    (models.DateTimeField, _same_name(ff.DateTimeField)),
    (models.TimeField, _same_name(ff.TimeField)),
    (models.DurationField, _same_name(ff.DurationField)),
    (models.UUIDField, _same_name(ff.UUIDField)),
    (models.JSONField, _same_name(ff.JSONField)),
    (models.ForeignKey, _foreign_key),
    (models.ManyToManyField, _many_to_many),
]:
    register_form_field(_model_class, _spec)
