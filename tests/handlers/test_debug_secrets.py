"""The DEBUG traceback page masks secrets by value, wherever they appear: database passwords
in a driver's locals (conninfo strings, parameter dicts, keyword arguments), SECRET_KEY and its
fallbacks, and any password written into a URL or DSN."""

from __future__ import annotations

import httpx
import pytest

from djanco.views.masking import MASK, SecretMasker
from tests.cli.conftest import free_port
from tests.handlers.conftest import UseDatabase
from tests.handlers.support import SetSettings

PASSWORD = "Pw-7c1e9b-secret"


@pytest.mark.parametrize("path", ["/query-sync/", "/query-async/"])
@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
async def test_an_unreachable_databases_password_is_not_on_the_page(
    aclient: httpx.AsyncClient, use_database: UseDatabase, scheme: str, path: str
) -> None:
    use_database(f"{scheme}://ada:{PASSWORD}@127.0.0.1:{free_port()}/shop")  # nothing listens
    response = await aclient.get(path)
    assert response.status_code == 503
    page = response.text
    assert "OperationalError" in page
    assert "Local vars" in page
    assert PASSWORD not in page


async def test_secret_keys_are_masked_by_value(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(SECRET_KEY="current-key-5f2a", SECRET_KEY_FALLBACKS=["old-key-9d3b"])
    response = await aclient.get(
        "/boom/?next=current-key-5f2a", headers={"X-Forwarded-For": "old-key-9d3b"}
    )
    assert response.status_code == 500
    assert "current-key-5f2a" not in response.text
    assert "old-key-9d3b" not in response.text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://ada:hunter2@db/shop", f"postgresql://ada:{MASK}@db/shop"),
        (
            "host=db user=ada password=hunter2 dbname=shop",
            f"host=db user=ada password={MASK} dbname=shop",
        ),
        ("password='two words' port=5432", f"password={MASK} port=5432"),
        ("{'user': 'ada', 'password': 'hunter2'}", f"{{'user': 'ada', 'password': {MASK}}}"),
        ('{"passwd": "hunter2"}', f'{{"passwd": {MASK}}}'),
        ("connect(user='ada', password='hunter2')", f"connect(user='ada', password={MASK})"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_passwords_in_urls_dsns_and_keywords_are_masked_unconfigured(text: str, shown: str) -> None:
    assert SecretMasker([])(text) == shown


def test_configured_secrets_are_masked_in_every_written_form() -> None:
    mask = SecretMasker(["p@ss'word"])
    assert mask("raw p@ss'word") == f"raw {MASK}"
    assert mask("quoted p%40ss%27word") == f"quoted {MASK}"
    assert mask.repr(["p@ss'word"]) == f"['{MASK}']"
    assert mask.repr(b"p@ss'word") == f'b"{MASK}"'


def test_a_secret_is_masked_before_a_long_value_is_cut() -> None:
    mask = SecretMasker(["hunter2-long-password"])
    shown = mask.repr("x" * 140 + "hunter2-long-password" + "y" * 200)
    assert "hunter" not in shown
    assert "password" not in shown


def test_nested_values_under_secret_looking_keys_are_masked() -> None:
    shown = SecretMasker([]).repr({"config": {"api_key": "k-123", "name": "shop"}})
    assert "k-123" not in shown
    assert "'name': 'shop'" in shown
