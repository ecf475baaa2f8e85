"""The checks framework is a low floor: importing it loads no database or ORM code."""

from __future__ import annotations

import subprocess
import sys

import pytest

_LIST_DATABASE_MODULES = (
    "import sys; print(sorted(name for name in sys.modules "
    "if name.partition('.')[0] == 'sqlalchemy' "
    "or name == 'djanco.db' or name.startswith('djanco.db.')))"
)


@pytest.mark.parametrize("module", ["djanco.core.checks.messages", "djanco.core.checks"])
def test_importing_the_checks_framework_loads_no_database_code(module: str) -> None:
    code = f"import {module}; {_LIST_DATABASE_MODULES}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_the_list_names_database_modules_once_they_are_imported() -> None:
    code = f"import djanco.db.models; {_LIST_DATABASE_MODULES}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert "'djanco.db.models'" in result.stdout
    assert "'sqlalchemy'" in result.stdout
