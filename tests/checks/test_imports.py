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


def test_setup_of_a_project_without_models_loads_no_database_code() -> None:
    # The ORM's checks are registered by name and imported only when checks run.
    code = f"import djanco; djanco.setup('tests.settings'); {_LIST_DATABASE_MODULES}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_the_database_checks_still_run_after_such_a_setup() -> None:
    code = (
        "import djanco; djanco.setup('tests.settings'); "
        "from djanco.core.checks import registry; "
        "print(sorted({c.__module__ for c in registry.get_checks()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    for module in ("djanco.db.backends.checks", "djanco.db.models.checks"):
        assert f"'{module}'" in result.stdout
