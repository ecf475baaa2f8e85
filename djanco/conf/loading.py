"""Building a Settings object from a settings module plus environment overrides."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from djanco.conf.environ import Sources, apply_env_overrides
from djanco.conf.settings import DEV_SECRET_KEY_PREFIX, Settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.suggest import did_you_mean


def load_settings(module_name: str, environ: Mapping[str, str] | None = None) -> Settings:
    """Import ``module_name``, validate its UPPERCASE names and apply ``DJANCO_*`` overrides.

    Raises ImproperlyConfigured naming the offending setting (and the closest valid name for
    a typo), or refusing a missing/development SECRET_KEY when DEBUG is off.
    """
    module = _import_settings_module(module_name)
    values: dict[str, object] = {
        name: getattr(module, name)
        for name in dir(module)
        if name.isupper() and not name.startswith("_")
    }
    unknown = [name for name in values if name not in Settings.model_fields]
    if unknown:
        raise ImproperlyConfigured(
            "\n".join(
                f"Unknown setting {name!r} in {module_name}."
                + did_you_mean(name, Settings.model_fields)
                for name in unknown
            )
        )
    sources: Sources = {(name,): f"in {module_name}" for name in values}
    env_sources: Sources = {}
    apply_env_overrides(values, env_sources, os.environ if environ is None else environ)
    sources.update({loc: f"from environment variable {var}" for loc, var in env_sources.items()})
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        lines = [_describe_error(error, sources) for error in exc.errors()]
        raise ImproperlyConfigured("\n".join(lines)) from None
    settings._module = module_name
    refuse_insecure_secret_key(settings)
    return settings


def refuse_insecure_secret_key(settings: Settings) -> None:
    """Refuse to start with DEBUG off and an empty or development SECRET_KEY."""
    if settings.DEBUG:
        return
    generate = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    if not settings.SECRET_KEY:
        problem = "SECRET_KEY is empty"
    elif settings.SECRET_KEY.startswith(DEV_SECRET_KEY_PREFIX):
        problem = f"SECRET_KEY is the development key (it starts with {DEV_SECRET_KEY_PREFIX!r})"
    else:
        return
    raise ImproperlyConfigured(
        f"{problem} and DEBUG is False. Set DJANCO_SECRET_KEY to a long random value "
        f"(for example the output of: {generate})."
    )


def _import_settings_module(module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if not _is_missing(module_name, exc):
            raise
        # Like `python -m`, a project run from its own directory finds its package there.
        cwd = str(Path.cwd())
        top = module_name.partition(".")[0]
        if cwd not in sys.path and (Path(cwd, top).is_dir() or Path(cwd, top + ".py").is_file()):
            sys.path.insert(0, cwd)
            return _import_settings_module(module_name)
        raise ImproperlyConfigured(
            f"Settings module {module_name!r} could not be imported: {exc}. Check DJANCO_SETTINGS "
            "(or --settings, or [tool.djanco] settings in pyproject.toml) and run from the "
            "project directory."
        ) from None


def _is_missing(module_name: str, exc: ModuleNotFoundError) -> bool:
    """True if ``exc`` says the settings module itself (or a parent package) does not exist."""
    return exc.name is not None and (module_name + ".").startswith(exc.name + ".")


def _describe_error(error: ErrorDetails, sources: Sources) -> str:
    loc = tuple(str(part) for part in error["loc"])
    where = next(
        (sources[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in sources),
        "",
    )
    name = loc[0] + "".join(f"[{part!r}]" for part in error["loc"][1:])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden" and len(loc) >= 2:
        owner = loc[0] + "".join(f"[{part!r}]" for part in loc[1:-1])
        fields = _keys_at(loc[:-1])
        return f"Unknown key {loc[-1]!r} in setting {owner} {where}.{did_you_mean(loc[-1], fields)}"
    secret = not Settings.model_fields[loc[0]].repr  # never echo keys or database passwords
    if "input" in error and error["type"] != "value_error" and not secret:
        message += f" (got {_short_repr(error['input'])})"
    return f"Invalid setting {name} {where}: {message}."


def _keys_at(loc: tuple[str, ...]) -> dict[str, object]:
    """The keys the (nested) setting at ``loc`` accepts, e.g. TEMPLATES' ``OPTIONS``."""
    keys: dict[str, object] = dict(Settings.model_fields)
    for part in loc:
        field = keys.get(part)
        keys = dict(getattr(getattr(field, "annotation", None), "model_fields", {}))
    return keys


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
