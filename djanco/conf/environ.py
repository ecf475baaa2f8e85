"""Overriding settings from ``DJANCO_<NAME>`` environment variables, parsed by the field's type."""

from __future__ import annotations

import json
import types
import warnings
from collections.abc import Mapping
from typing import Union, get_args, get_origin

from pydantic import BaseModel

from djanco.conf.settings import Settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.suggest import closest, did_you_mean

ENV_PREFIX = "DJANCO_"
# Read by other layers directly, not settings: DJANCO_SETTINGS, DJANCO_TEST_*, and the
# async-safety escape hatch (Django's DJANGO_ALLOW_ASYNC_UNSAFE).
_RESERVED = frozenset({"SETTINGS", "ALLOW_ASYNC_UNSAFE"})
_RESERVED_PREFIXES = ("TEST_",)
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class SettingsWarning(UserWarning):
    """A ``DJANCO_*`` environment variable was ignored (it names no setting)."""


Sources = dict[tuple[str, ...], str]
"""Where each (possibly nested) setting came from: a module name or an environment variable."""


def apply_env_overrides(
    values: dict[str, object], sources: Sources, environ: Mapping[str, str]
) -> None:
    """Apply every ``DJANCO_*`` variable in ``environ`` to the raw ``values`` of a settings module.

    ``DJANCO_NAME`` replaces a setting; ``DJANCO_NAME__KEY`` then sets one key of a mapping
    (lower-cased, e.g. ``DJANCO_DATABASES__DEFAULT``) or one field of TEMPLATES.
    """
    names = [name for name in environ if name.startswith(ENV_PREFIX)]
    # Whole values first, so a per-key override lands on top of a whole-value one.
    for var in sorted(names, key=lambda name: ("__" in name, name)):
        rest = var.removeprefix(ENV_PREFIX)
        if rest in _RESERVED or rest.startswith(_RESERVED_PREFIXES):
            continue
        setting, _, key = rest.partition("__")
        if setting not in Settings.model_fields:
            match = closest(setting, Settings.model_fields)
            hint = f" Did you mean {ENV_PREFIX}{match}?" if match else ""
            warnings.warn(
                f"Ignoring environment variable {var}: there is no setting {setting!r}.{hint}",
                SettingsWarning,
                stacklevel=4,
            )
            continue
        annotation = Settings.model_fields[setting].annotation
        if not key:
            values[setting] = parse_env_value(var, environ[var], annotation)
            sources[(setting,)] = var
        else:
            _apply_key(values, sources, var, environ[var], setting, key, annotation)


def _apply_key(
    values: dict[str, object],
    sources: Sources,
    var: str,
    raw: str,
    setting: str,
    key: str,
    annotation: object,
) -> None:
    current = values.get(setting)
    if current is None:
        current = Settings.model_fields[setting].get_default(call_default_factory=True)
    if get_origin(annotation) is dict:
        mapping = dict(current) if isinstance(current, Mapping) else {}
        mapping[key.lower()] = parse_env_value(var, raw, get_args(annotation)[1])
        values[setting] = mapping
        sources[(setting, key.lower())] = var
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = key.upper()
        if field not in annotation.model_fields:
            hint = did_you_mean(field, annotation.model_fields)
            raise ImproperlyConfigured(
                f"Environment variable {var}: {setting} has no key {field!r}.{hint}"
            )
        if isinstance(current, BaseModel):
            current = current.model_dump()
        mapping = dict(current) if isinstance(current, Mapping) else {}
        mapping[field] = parse_env_value(var, raw, annotation.model_fields[field].annotation)
        values[setting] = mapping
        sources[(setting, field)] = var
    else:
        raise ImproperlyConfigured(
            f"Environment variable {var}: {setting} is not a mapping, so it takes no '__{key}' "
            f"part; set {ENV_PREFIX}{setting} instead."
        )


def parse_env_value(var: str, raw: str, annotation: object) -> object:
    """Turn the text of environment variable ``var`` into a value for a field of ``annotation``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) and type(None) in get_args(annotation):
        if not raw.strip():
            return None
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = rest[0] if len(rest) == 1 else object
        origin = get_origin(annotation)
    if annotation is bool:
        return _parse_bool(var, raw)
    if annotation is int:
        try:
            return int(raw.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"Environment variable {var}={raw!r} is not an integer."
            ) from None
    if annotation in (list, tuple) or origin in (list, tuple):
        return _parse_list(var, raw)
    if (
        annotation is dict
        or origin is dict
        or (isinstance(annotation, type) and issubclass(annotation, BaseModel))
    ):
        return _parse_json(var, raw, dict, "a JSON object")
    if annotation is object:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _parse_bool(var: str, raw: str) -> bool:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {var}={raw!r} is not a boolean; "
        "use true/false, 1/0, yes/no or on/off."
    )


def _parse_list(var: str, raw: str) -> object:
    text = raw.strip()
    if text.startswith("["):
        return _parse_json(var, text, list, "a JSON array")
    return [item.strip() for item in text.split(",") if item.strip()]


def _parse_json(var: str, raw: str, kind: type, description: str) -> object:
    try:
        value: object = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {var} is not {description}: {exc}."
        ) from None
    if not isinstance(value, kind):
        raise ImproperlyConfigured(
            f"Environment variable {var} must be {description}, not {raw!r}."
        )
    return value
