"""Check messages: what a check reports, at which level, with Django's ids and formatting."""

from __future__ import annotations

from djanco.conf import settings

DEBUG = 10
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50

_LEVEL_NAMES = {
    DEBUG: "DEBUG",
    INFO: "INFO",
    WARNING: "WARNING",
    ERROR: "ERROR",
    CRITICAL: "CRITICAL",
}


class CheckMessage:
    """One problem found by a check.

    ``id`` is ``"<area>.<L><number>"`` (``"urls.E002"``); list it in SILENCED_SYSTEM_CHECKS to
    silence the message. ``obj`` is what the problem is about (printed before the message).
    """

    def __init__(
        self,
        level: int,
        msg: str,
        hint: str | None = None,
        obj: object = None,
        id: str | None = None,
    ) -> None:
        self.level = level
        self.msg = msg
        self.hint = hint
        self.obj = obj
        self.id = id

    @property
    def level_tag(self) -> str:
        """``"ERROR"``, ``"WARNING"``... (or the number, for a custom level)."""
        return _LEVEL_NAMES.get(self.level, str(self.level))

    def is_serious(self, level: int = ERROR) -> bool:
        """Whether this message is at ``level`` or above (errors stop ``djanco check``)."""
        return self.level >= level

    def is_silenced(self) -> bool:
        """Whether SILENCED_SYSTEM_CHECKS lists this message's id."""
        return self.id is not None and self.id in settings.SILENCED_SYSTEM_CHECKS

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CheckMessage) or type(self) is not type(other):
            return NotImplemented
        return (self.level, self.msg, self.hint, self.obj, self.id) == (
            other.level,
            other.msg,
            other.hint,
            other.obj,
            other.id,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    @property
    def obj_label(self) -> str:
        """How ``obj`` is shown: ``"?"`` for None, ``"blog.Article"`` for a model (as Django)."""
        if self.obj is None:
            return "?"
        try:
            label = self.obj._meta.label if isinstance(self.obj, type) else None  # type: ignore[attr-defined]
        except Exception:  # not a model, or one outside every app
            label = None
        return label if isinstance(label, str) else str(self.obj)

    def __str__(self) -> str:
        obj = self.obj_label
        ident = f"({self.id}) " if self.id else ""
        hint = f"\n\tHINT: {self.hint}" if self.hint else ""
        return f"{obj}: {ident}{self.msg}{hint}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: level={self.level!r}, msg={self.msg!r}, "
            f"hint={self.hint!r}, obj={self.obj!r}, id={self.id!r}>"
        )


class Debug(CheckMessage):
    """A message at DEBUG level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: object = None, id: str | None = None
    ) -> None:
        super().__init__(DEBUG, msg, hint, obj, id)


class Info(CheckMessage):
    """A message at INFO level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: object = None, id: str | None = None
    ) -> None:
        super().__init__(INFO, msg, hint, obj, id)


class Warning(CheckMessage):  # shadows the builtin, as Django does
    """A problem that does not stop the project from running."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: object = None, id: str | None = None
    ) -> None:
        super().__init__(WARNING, msg, hint, obj, id)


class Error(CheckMessage):
    """A problem that will make the project misbehave; ``djanco check`` exits non-zero."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: object = None, id: str | None = None
    ) -> None:
        super().__init__(ERROR, msg, hint, obj, id)


class Critical(CheckMessage):
    """A problem that stops the project from running at all."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: object = None, id: str | None = None
    ) -> None:
        super().__init__(CRITICAL, msg, hint, obj, id)
