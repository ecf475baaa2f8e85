"""QueryDict: the multi-valued mapping behind ``request.GET``, with Django's accessors."""

from __future__ import annotations

import builtins
from urllib.parse import urlencode

from starlette.datastructures import QueryParams


class MultiValueDictKeyError(KeyError):
    """A key looked up with ``q[key]`` is not in the QueryDict."""


class QueryDict(QueryParams):
    """An immutable multi-valued mapping of ``str`` to ``str``, parsed from a query string.

    ``q["a"]`` and ``q.get("a")`` give the *last* value for ``a`` (as Django does);
    ``q.getlist("a")`` gives every value in order.
    """

    def __getitem__(self, key: str) -> str:
        try:
            return self._dict[key]
        except KeyError:
            raise MultiValueDictKeyError(key) from None

    def getlist(self, key: str, default: list[str] | None = None) -> list[str]:
        """Every value for ``key`` in order; ``default`` (or ``[]``) when absent."""
        values = [value for item_key, value in self._list if item_key == key]
        if not values and default is not None:
            return default
        return values

    def lists(self) -> list[tuple[str, list[str]]]:
        """``(key, [values])`` pairs in first-seen key order."""
        return [(key, self.getlist(key)) for key in self._dict]

    def dict(self) -> builtins.dict[str, str]:
        """A plain dict of each key's last value."""
        return builtins.dict(self._dict)

    def urlencode(self) -> str:
        """The query string again, with every value of every key."""
        return urlencode(self._list)
