"""`Q` objects: filter conditions combined with `&`, `|` and `~`."""

from __future__ import annotations

from typing import Self

__all__ = ["Q"]


class Q:
    """Keyword filters (ANDed), combinable: `Q(a=1) | ~Q(b__gt=2)`."""

    AND = "AND"
    OR = "OR"

    def __init__(self, *args: Q, **kwargs: object) -> None:
        connector = kwargs.pop("_connector", self.AND)
        negated = kwargs.pop("_negated", False)
        self.children: list[Q | tuple[str, object]] = [*args, *sorted(kwargs.items())]
        self.connector = str(connector)
        self.negated = bool(negated)

    def _combine(self, other: object, connector: str) -> Q:
        if not isinstance(other, Q):
            raise TypeError(f"Cannot combine Q with {type(other).__name__}.")
        if not other.children:
            return self._copy()
        if not self.children:
            return other._copy()
        return Q(self, other, _connector=connector)

    def _copy(self) -> Q:
        new = Q(_connector=self.connector, _negated=self.negated)
        new.children = list(self.children)
        return new

    def __and__(self, other: object) -> Q:
        return self._combine(other, self.AND)

    def __or__(self, other: object) -> Q:
        return self._combine(other, self.OR)

    def __invert__(self) -> Self:
        new = self._copy()
        new.negated = not self.negated
        return new  # type: ignore[return-value]

    def __repr__(self) -> str:
        inner = f" {self.connector} ".join(repr(c) for c in self.children)
        return f"<Q: {'NOT ' if self.negated else ''}({inner})>"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Q)
            and other.children == self.children
            and other.connector == self.connector
            and other.negated == self.negated
        )

    def __hash__(self) -> int:
        return hash((self.connector, self.negated, repr(self.children)))
