"""``FunctionCopier``: RunPython functions written in migration files, copied into a new
migration (``squashmigrations``), since a migration module (``0002_data``) cannot be imported
by name. The functions they call from the same file come along, and the names they use from
their file's imports become imports of the new file; anything else is reported."""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
import types
from typing import Any

_MIGRATION_MODULE = re.compile(r"(^|\.)\d\w*$")
# Names the generated file defines itself.
_PROVIDED = {"djanco.db.migrations": "migrations", "djanco.db.models": "models"}


def in_migration_file(obj: object) -> bool:
    """Whether ``obj`` is a function defined at the top of a migration file."""
    module = getattr(obj, "__module__", None) or ""
    qualname = getattr(obj, "__qualname__", "")
    return (
        isinstance(obj, types.FunctionType)
        and bool(_MIGRATION_MODULE.search(module))
        and "." not in qualname
        and "<" not in qualname
    )


class FunctionCopier:
    """Collects function sources (``functions``, in order), the imports they need
    (``imports``) and what could not be copied safely (``warnings``)."""

    def __init__(self) -> None:
        self.functions: dict[str, str] = {}
        self.imports: set[str] = set()
        self.uses_models = False
        self.warnings: list[str] = []
        self._names: dict[int, str] = {}

    def copy(self, function: types.FunctionType) -> str:
        """The name of ``function``'s copy in the new file."""
        known = self._names.get(id(function))
        if known is not None:
            return known
        name = self._free_name(function)
        try:
            source = textwrap.dedent(inspect.getsource(function))
        except OSError:
            self.warnings.append(
                f"the source of {function.__module__}.{function.__name__} cannot be read: "
                f"define {name}() in the squashed migration by hand."
            )
            return name
        if name != function.__name__:
            source = source.replace(f"def {function.__name__}(", f"def {name}(", 1)
        self._names[id(function)] = name
        self.functions[name] = source
        for used in sorted(_global_names(function.__code__)):
            self._bring(function, used)
        return name

    def _free_name(self, function: types.FunctionType) -> str:
        name = function.__name__
        if name not in self.functions:
            return name
        number = function.__module__.rpartition(".")[2].split("_", 1)[0]
        candidate = f"{name}_{number}"
        suffix = 2
        while candidate in self.functions:
            candidate = f"{name}_{number}_{suffix}"
            suffix += 1
        return candidate

    def _bring(self, function: types.FunctionType, name: str) -> None:
        """Make ``name`` (a global of ``function``'s file) available in the new file."""
        if name not in function.__globals__:
            return  # a builtin, or an attribute name
        value: Any = function.__globals__[name]
        where = f"{function.__module__}.{function.__name__}"
        if isinstance(value, types.ModuleType):
            provided = _PROVIDED.get(value.__name__)
            if provided == name:
                self.uses_models = self.uses_models or name == "models"
            elif value.__name__ == name:
                self.imports.add(f"import {name}")
            else:
                self.imports.add(f"import {value.__name__} as {name}")
            return
        if isinstance(value, types.FunctionType) and value.__module__ == function.__module__:
            copied = self.copy(value)
            if copied != name:
                self.warnings.append(
                    f"{where} calls {name}(), copied as {copied}(): rename the call by hand."
                )
            return
        module = getattr(value, "__module__", None)
        if (
            module
            and not _MIGRATION_MODULE.search(module)
            and getattr(sys.modules.get(module), name, None) is value
        ):
            self.imports.add(f"from {module} import {name}")
            return
        self.warnings.append(
            f"{where} uses {name!r} from its migration file: copy it into the squashed "
            "migration by hand."
        )


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names
