"""Keys (warnings, key functions), ``caches``/``cache`` built from CACHES, the dummy cache."""

from __future__ import annotations

import warnings

import pytest

from djanco.conf import CacheSettings, Settings
from djanco.core.cache import (
    BaseCache,
    CacheKeyWarning,
    InvalidCacheBackendError,
    cache,
    caches,
    default_key_func,
)
from djanco.core.cache.backends.dummy import DummyCache
from djanco.core.cache.backends.locmem import LocMemCache
from tests.core.cache.support import LOCMEM, make_cache
from tests.http.factory import override_settings


def upper_key(key: str, key_prefix: str, version: int) -> str:
    return f"{key_prefix}/{version}/{key.upper()}"


def test_long_keys_warn_that_memcached_would_refuse_them() -> None:
    cache = make_cache(LOCMEM, "keys")

    with pytest.warns(CacheKeyWarning, match=r"longer than 250"):
        cache.set("x" * 250, 1)  # 250 characters plus the ":1:" the key function adds


def test_keys_with_spaces_or_control_characters_warn() -> None:
    cache = make_cache(LOCMEM, "keys")

    with pytest.warns(CacheKeyWarning, match="characters that will cause errors"):
        cache.get("has space")
    with pytest.warns(CacheKeyWarning, match="characters that will cause errors"):
        cache.get("bell\x07")


def test_the_warning_points_at_the_callers_line() -> None:
    cache = make_cache(LOCMEM, "keys")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache.get("has space")

    assert caught[0].filename == __file__


def test_ordinary_keys_do_not_warn() -> None:
    cache = make_cache(LOCMEM, "keys")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set("user:42:profile", 1)


def test_the_default_key_function() -> None:
    assert default_key_func("k", "site", 3) == "site:3:k"
    assert make_cache(LOCMEM, "keys", KEY_PREFIX="p", VERSION=2).make_key("k") == "p:2:k"


def test_a_key_function_may_be_a_dotted_path() -> None:
    cache = make_cache(LOCMEM, "keys", KEY_FUNCTION=f"{__name__}.upper_key", KEY_PREFIX="p")

    assert cache.make_key("abc", version=5) == "p/5/ABC"


def test_caches_builds_each_alias_once_from_the_setting() -> None:
    with override_settings(
        CACHES={
            "default": CacheSettings(BACKEND=LOCMEM, LOCATION="a"),
            "other": CacheSettings(BACKEND="djanco.core.cache.backends.dummy.DummyCache"),
        }
    ):
        assert isinstance(caches["default"], LocMemCache)
        assert isinstance(caches["other"], DummyCache)
        assert caches["other"] is caches["other"]
        assert list(caches) == ["default", "other"]


def test_cache_is_the_default_alias_and_follows_the_setting() -> None:
    with override_settings(CACHES={"default": CacheSettings(BACKEND=LOCMEM, LOCATION="one")}):
        cache.set("k", "in one")
        assert cache.get("k") == "in one"
        assert "k" in cache
    with override_settings(CACHES={"default": CacheSettings(BACKEND=LOCMEM, LOCATION="two")}):
        assert cache.get("k") is None


def test_the_default_setting_is_a_local_memory_cache() -> None:
    assert Settings().CACHES["default"].BACKEND == LOCMEM


def test_an_unknown_alias_or_backend_is_a_clear_error() -> None:
    with pytest.raises(InvalidCacheBackendError, match="'nope' is not in CACHES"):
        caches["nope"]
    with (
        override_settings(CACHES={"default": CacheSettings(BACKEND="djanco.core.cache.Nope")}),
        pytest.raises(InvalidCacheBackendError, match="Could not find cache backend"),
    ):
        caches["default"]
    with (
        override_settings(CACHES={"default": CacheSettings(BACKEND="builtins.dict")}),
        pytest.raises(InvalidCacheBackendError, match="not a subclass of BaseCache"),
    ):
        caches["default"]


def test_caches_without_a_default_are_refused() -> None:
    with pytest.raises(ValueError, match="'default' cache is required"):
        Settings(CACHES={"other": {"BACKEND": LOCMEM}})


async def test_the_dummy_cache_keeps_nothing() -> None:
    dummy: BaseCache = make_cache("djanco.core.cache.backends.dummy.DummyCache", "")

    dummy.set("k", 1)
    await dummy.aset("k", 1)

    assert dummy.get("k", "default") == "default"
    assert await dummy.aget("k") is None
    assert dummy.add("k", 1) is True
    assert dummy.get_many(["k"]) == {}
    assert dummy.has_key("k") is False
    assert await dummy.aget_or_set("k", 5) == 5
    with pytest.raises(ValueError, match="not found"):
        dummy.incr("k")
