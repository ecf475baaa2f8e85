"""Questions ``makemigrations`` asks: at a terminal it asks, elsewhere it takes the safe answer."""

from __future__ import annotations

import sys
from collections.abc import Callable

from djanco.db.migrations.exceptions import MigrationError


class NonInteractiveQuestioner:
    """No terminal: renames are not assumed, and a non-null field without a default stops."""

    interactive = False

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def ask_rename_field(self, model: str, old: str, new: str) -> bool:
        self.warnings.append(
            f"{model}.{old} → {model}.{new} looks like a rename; without a terminal to ask, "
            f"it is written as removing {old} and adding {new}: the data in {old} will be lost. "
            "Edit the migration to use migrations.RenameField to keep it."
        )
        return False

    def ask_rename_model(self, old: str, new: str) -> bool:
        self.warnings.append(
            f"Model {old} → {new} looks like a rename; without a terminal to ask, it is written "
            f"as deleting {old} and creating {new}: its rows will be lost. Edit the migration "
            "to use migrations.RenameModel to keep them."
        )
        return False

    def ask_not_null_default(self, model: str, field: str) -> object:
        raise MigrationError(
            f"It is impossible to add the non-nullable field '{field}' to {model} without a "
            "default: the existing rows need a value. Either give the field a default "
            f"(default=...), make it nullable (null=True), or run makemigrations at a terminal "
            "to provide a one-off default for the existing rows."
        )


class InteractiveQuestioner(NonInteractiveQuestioner):
    """Asks y/N and one-off defaults on the terminal."""

    interactive = True

    def __init__(
        self,
        ask: Callable[[str], str] = input,
        say: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
    ) -> None:
        super().__init__()
        self.ask = ask
        self.say = say

    def _yes(self, question: str) -> bool:
        answer = self.ask(f"{question} [y/N] ").strip().lower()
        return answer in ("y", "yes")

    def ask_rename_field(self, model: str, old: str, new: str) -> bool:
        return self._yes(f"Was {model}.{old} renamed to {model}.{new}?")

    def ask_rename_model(self, old: str, new: str) -> bool:
        return self._yes(f"Was the model {old} renamed to {new}?")

    def ask_not_null_default(self, model: str, field: str) -> object:
        self.say(
            f"The non-nullable field '{field}' is added to {model} without a default; the "
            "existing rows need a value. Type a one-off default as a Python literal "
            "(e.g. 0, '', None), or press Enter to stop and edit the model."
        )
        import ast

        while True:
            text = self.ask(">>> ").strip()
            if not text:
                raise MigrationError(f"Stopped: give {model}.{field} a default or null=True.")
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                self.say("Please type a Python literal, e.g. 0, 'text' or None.")
