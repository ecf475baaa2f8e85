"""What every cache backend does, in both API forms: subclassed once per backend, with the
fixtures ``cache`` (an empty cache), ``api`` (its sync or async form) and ``sibling`` (another
cache on the same storage, built with other CACHES parameters)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from djanco.core.cache import BaseCache
from tests.core.cache.support import Api

Sibling = Callable[..., BaseCache]


class CacheContract:
    async def test_set_then_get(self, api: Api) -> None:
        await api("set", "greeting", {"text": "hello", "n": [1, 2]})

        assert await api("get", "greeting") == {"text": "hello", "n": [1, 2]}

    async def test_a_missing_key_gives_the_default(self, api: Api) -> None:
        assert await api("get", "nothing") is None
        assert await api("get", "nothing", "fallback") == "fallback"

    async def test_a_stored_none_is_not_the_default(self, api: Api) -> None:
        await api("set", "empty", None)

        assert await api("get", "empty", "fallback") is None

    async def test_the_cache_keeps_its_own_copy(self, api: Api) -> None:
        value = [1, 2]
        await api("set", "list", value)
        value.append(3)

        assert await api("get", "list") == [1, 2]

    async def test_add_stores_only_when_the_key_is_free(self, api: Api) -> None:
        assert await api("add", "slot", "first") is True
        assert await api("add", "slot", "second") is False

        assert await api("get", "slot") == "first"

    async def test_delete_says_whether_there_was_an_entry(self, api: Api) -> None:
        await api("set", "doomed", 1)

        assert await api("delete", "doomed") is True
        assert await api("delete", "doomed") is False
        assert await api("get", "doomed") is None

    async def test_entries_expire_after_their_timeout(self, api: Api) -> None:
        await api("set", "brief", "here", 0.3)
        await api("set", "lasting", "here", None)
        assert await api("get", "brief") == "here"

        await asyncio.sleep(0.5)

        assert await api("get", "brief") is None
        assert await api("has_key", "brief") is False
        assert await api("get", "lasting") == "here"

    async def test_an_expired_entry_can_be_added_again(self, api: Api) -> None:
        await api("set", "slot", "old", 0.3)
        await asyncio.sleep(0.5)

        assert await api("add", "slot", "new") is True
        assert await api("get", "slot") == "new"

    async def test_a_zero_timeout_stores_nothing_and_drops_the_old_value(self, api: Api) -> None:
        await api("set", "k", "old")
        await api("set", "k", "new", 0)

        assert await api("get", "k") is None
        assert await api("add", "other", "v", 0) is True
        assert await api("get", "other") is None

    async def test_touch_gives_a_new_lifetime(self, api: Api) -> None:
        await api("set", "k", "v", 0.3)

        assert await api("touch", "k", None) is True
        await asyncio.sleep(0.5)
        assert await api("get", "k") == "v"
        assert await api("touch", "missing", 10) is False

    async def test_touch_with_zero_removes_the_entry(self, api: Api) -> None:
        await api("set", "k", "v")

        await api("touch", "k", 0)

        assert await api("get", "k") is None

    async def test_has_key(self, api: Api, cache: BaseCache) -> None:
        await api("set", "present", 0)

        assert await api("has_key", "present") is True
        assert await api("has_key", "absent") is False
        assert await asyncio.to_thread(lambda: "present" in cache)  # sync only, as in Django

    async def test_many_at_once(self, api: Api) -> None:
        failed = await api("set_many", {"a": 1, "b": "two", "c": [3]})
        assert failed == []

        assert await api("get_many", ["a", "b", "missing"]) == {"a": 1, "b": "two"}
        await api("delete_many", ["a", "c"])
        assert await api("get_many", ["a", "b", "c"]) == {"b": "two"}
        assert await api("get_many", []) == {}

    async def test_set_many_honours_the_timeout(self, api: Api) -> None:
        await api("set_many", {"a": 1, "b": 2}, 0.3)
        await asyncio.sleep(0.5)

        assert await api("get_many", ["a", "b"]) == {}

    async def test_incr_and_decr(self, api: Api) -> None:
        await api("set", "count", 10)

        assert await api("incr", "count") == 11
        assert await api("incr", "count", 5) == 16
        assert await api("decr", "count", 6) == 10
        assert await api("get", "count") == 10

    async def test_incr_of_a_missing_key_is_a_value_error(self, api: Api) -> None:
        with pytest.raises(ValueError, match="not found"):
            await api("incr", "missing")

    async def test_get_or_set(self, api: Api) -> None:
        assert await api("get_or_set", "k", "made") == "made"
        assert await api("get_or_set", "k", "other") == "made"
        assert await api("get_or_set", "lazy", lambda: "called") == "called"
        assert await api("get", "lazy") == "called"

    async def test_versions_keep_entries_apart(self, api: Api) -> None:
        await api("set", "k", "v1", version=1)
        await api("set", "k", "v2", version=2)

        assert await api("get", "k") == "v1"  # VERSION defaults to 1
        assert await api("get", "k", version=2) == "v2"
        assert await api("get", "k", version=3) is None

    async def test_incr_version_moves_the_entry(self, api: Api) -> None:
        await api("set", "k", "value")

        assert await api("incr_version", "k") == 2
        assert await api("get", "k") is None
        assert await api("get", "k", version=2) == "value"
        assert await api("decr_version", "k", version=2) == 1
        assert await api("get", "k") == "value"
        with pytest.raises(ValueError, match="not found"):
            await api("incr_version", "missing")

    async def test_key_prefix_and_version_settings_keep_caches_apart(
        self, api: Api, sibling: Sibling
    ) -> None:
        await api("set", "k", "plain")
        prefixed = Api(sibling(KEY_PREFIX="site2"), api.form)
        versioned = Api(sibling(VERSION=2), api.form)

        assert await prefixed("get", "k") is None
        await prefixed("set", "k", "prefixed")
        await versioned("set", "k", "versioned")
        assert await api("get", "k") == "plain"
        assert await api("get", "k", version=2) == "versioned"
        assert await prefixed("get", "k") == "prefixed"

    async def test_a_key_function_makes_the_stored_key(self, api: Api, sibling: Sibling) -> None:
        upper_cache = sibling(KEY_FUNCTION=lambda key, prefix, version: key.upper())
        upper = Api(upper_cache, api.form)
        await upper("set", "shared", "from upper")

        assert upper_cache.make_key("shared") == "SHARED"
        assert await upper("get", "shared") == "from upper"
        assert await api("get", "shared") is None  # the default function makes ":1:shared"

    async def test_clear_empties_the_cache(self, api: Api) -> None:
        await api("set_many", {"a": 1, "b": 2})

        await api("clear")

        assert await api("get_many", ["a", "b"]) == {}

    async def test_close_then_use_again(self, api: Api) -> None:
        await api("set", "k", "v")
        await api("close")

        assert await api("get", "k") == "v"
