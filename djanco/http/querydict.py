"""QueryDict and MultiValueDict: the multi-valued mappings behind ``request.GET``,
``request.POST`` and ``request.FILES``, with Django's accessors."""

from __future__ import annotations

import builtins
from typing import TypeVar, overload
from urllib.parse import urlencode

from starlette.datastructures import ImmutableMultiDict, MultiDict, QueryParams

_K = TypeVar("_K")
_V = TypeVar("_V", covariant=True)
_D = TypeVar("_D")


class MultiValueDictKeyError(KeyError):
    """A key looked up with ``q[key]`` is not in the QueryDict."""


class MultiValueDict(ImmutableMultiDict[_K, _V]):
    """An immutable mapping where a key may have several values, e.g. ``request.FILES``.

    ``d[key]`` and ``d.get(key)`` give the *last* value for ``key`` (as Django does);
    ``d.getlist(key)`` gives every value in order. Built from ``(key, value)`` pairs.
    """

    def __getitem__(self, key: _K) -> _V:
        try:
            return self._dict[key]
        except KeyError:
            raise MultiValueDictKeyError(key) from None

    @overload
    def getlist(self, key: _K) -> list[_V]: ...
    @overload
    def getlist(self, key: _K, default: list[_D]) -> list[_V] | list[_D]: ...
    def getlist(self, key: _K, default: list[_D] | None = None) -> list[_V] | list[_D]:
        """Every value for ``key`` in order; ``default`` (or ``[]``) when absent."""
        values = [value for item_key, value in self._list if item_key == key]
        if not values and default is not None:
            return default
        return values

    def lists(self) -> list[tuple[_K, list[_V]]]:
        """``(key, [values])`` pairs in first-seen key order."""
        return [(key, self.getlist(key)) for key in self._dict]

    def dict(self) -> builtins.dict[_K, _V]:
        """A plain dict of each key's last value."""
        return builtins.dict(self._dict)


class QueryDict(MultiValueDict[str, str], QueryParams):
    """An immutable multi-valued mapping of ``str`` to ``str``: a query string's parameters
    (``request.GET``) or a form's fields (``request.POST``).

    Built from a query string, or from ``(key, value)`` pairs.
    """

    def urlencode(self) -> str:
        """The query string again, with every value of every key."""
        return urlencode(self._list)

    def copy(self) -> MutableQueryDict:
        """A mutable copy, as in Django: ``q = request.GET.copy(); q["page"] = "2"``."""
        return MutableQueryDict(self._list)


class MutableQueryDict(MultiDict):
    """What ``QueryDict.copy()`` returns: a QueryDict that can be changed.

    ``q[key] = value`` replaces every value of ``key``; ``setlist()``, ``appendlist()``,
    ``setlistdefault()`` and ``pop()`` work as in Django; ``urlencode()`` builds the query
    string from the result.
    """

    def __getitem__(self, key: str) -> str:
        try:
            value: str = self._dict[key]
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        return value

    def getlist(self, key: str, default: list[str] | None = None) -> list[str]:
        """Every value for ``key`` in order; ``default`` (or ``[]``) when absent."""
        values: list[str] = [value for item_key, value in self._list if item_key == key]
        if not values and default is not None:
            return default
        return values

    def appendlist(self, key: str, value: str) -> None:
        """Add ``value`` after the existing values of ``key``."""
        self.append(key, value)

    def setlistdefault(self, key: str, default_list: list[str] | None = None) -> list[str]:
        """``key``'s values, first setting them to ``default_list`` if it has none."""
        if key not in self:
            self.setlist(key, list(default_list or []))
        return self.getlist(key)

    def lists(self) -> list[tuple[str, list[str]]]:
        """``(key, [values])`` pairs in first-seen key order."""
        return [(key, self.getlist(key)) for key in self._dict]

    def dict(self) -> builtins.dict[str, str]:
        """A plain dict of each key's last value."""
        return builtins.dict(self._dict)

    def copy(self) -> MutableQueryDict:
        """Another mutable copy."""
        return MutableQueryDict(self._list)

    def urlencode(self) -> str:
        """The query string, every value of every key, keys in first-set order (Django's)."""
        return urlencode([(key, value) for key, values in self.lists() for value in values])
