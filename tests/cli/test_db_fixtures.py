"""The ``db``, ``transactional_db`` fixtures and ``db`` marker, the way a project uses them:
a scaffolded project with a migrated app, its tests run by ``djanco test`` on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from djanco.db.backends.handler import vendor_of
from djanco.db.backends.testing import parse_test_databases
from tests.cli.conftest import add_app, djanco, startproject

_MODELS = """from djanco.db import models


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)


class Article(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
"""

_SEED_MIGRATION = """from djanco.db import migrations


def seed(apps, schema_editor):
    apps.get_model("blog", "Author").objects.create(name="seed")


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
"""

_VIEWS = """from djanco.http import HttpRequest, HttpResponse

from blog.models import Author


def count(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(Author.objects.count()))


async def acount(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(await Author.objects.acount()))
"""

_URLS = """from djanco.urls import path

from blog import views

urlpatterns = [path("count/", views.count), path("acount/", views.acount)]
"""

# The project's own tests: what they assert is what this module checks.
_TESTS = """import pytest

from djanco.db import IntegrityError, transaction
from djanco.test import AsyncClient, Client, assert_num_queries, capture_queries

from blog.models import Article, Author


def test_data_migration_ran(db: None, request: pytest.FixtureRequest) -> None:
    migrated = not request.config.getoption("djanco_no_migrations")
    assert Author.objects.filter(name="seed").exists() is migrated


def test_a_writes(db: None) -> None:
    author = Author.objects.create(name="a")
    Article.objects.create(title="t", author=author)
    assert author.articles.count() == 1


def test_b_sees_nothing_of_a(db: None) -> None:
    assert not Author.objects.filter(name="a").exists()
    assert Article.objects.count() == 0


async def test_async_code_shares_the_transaction(db: None) -> None:
    author = await Author.objects.acreate(name="b")
    assert await Author.objects.filter(pk=author.pk).aexists()
    async for found in Author.objects.filter(name="b"):
        assert found == author


def test_views_see_the_test_rows(db: None, client: Client) -> None:
    Author.objects.create(name="c")
    expected = str(Author.objects.count())
    assert client.get("/blog/count/").text == expected
    assert client.get("/blog/acount/").text == expected


async def test_views_see_the_test_rows_async(db: None, async_client: AsyncClient) -> None:
    await Author.objects.acreate(name="d")
    expected = str(await Author.objects.acount())
    assert (await async_client.get("/blog/count/")).text == expected
    assert (await async_client.get("/blog/acount/")).text == expected


def test_integrity_error_rolls_back_to_the_savepoint(db: None) -> None:
    Author.objects.create(name="e")
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name="e")
    assert Author.objects.filter(name="e").count() == 1


async def test_async_atomic_uses_savepoints(db: None) -> None:
    await Author.objects.acreate(name="f")
    with pytest.raises(IntegrityError):
        async with transaction.atomic():
            await Author.objects.acreate(name="f")
    assert await Author.objects.filter(name="f").acount() == 1


def test_counting_queries(db: None) -> None:
    with assert_num_queries(1):
        list(Author.objects.all())
    with capture_queries() as captured:
        Author.objects.filter(name="x").exists()
    assert len(captured) == 1 and "blog_author" in captured.sql[0]


async def test_counting_async_queries(db: None) -> None:
    with assert_num_queries(2):
        await Author.objects.acreate(name="q")
        assert await Author.objects.filter(name="q").aexists()


@pytest.mark.db
def test_marker_gives_a_database() -> None:
    Author.objects.create(name="g")


def test_without_a_database_is_refused() -> None:
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Author.objects.count()


@pytest.mark.db(transaction=True)
def test_transactional_db_commits() -> None:
    committed: list[bool] = []
    with transaction.atomic():
        Author.objects.create(name="h")
        transaction.on_commit(lambda: committed.append(True))
    assert committed == [True]


@pytest.mark.db(transaction=True)
async def test_async_transactional_db_commits() -> None:
    await Author.objects.acreate(name="i")
    assert await Author.objects.filter(name="i").aexists()


def test_transactional_db_empties_the_tables_afterwards(transactional_db: None) -> None:
    assert not Author.objects.exists()
"""

_SERVERS = [url for url in parse_test_databases() if vendor_of(url) != "sqlite"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = startproject(tmp_path_factory.mktemp("dbfixtures"))
    add_app(root, "blog", _MODELS)
    urls = root / "mysite" / "urls.py"
    text = urls.read_text().replace("import path", "import include, path")
    urls.write_text(
        text.replace("urlpatterns = [", 'urlpatterns = [\n    path("blog/", include("blog.urls")),')
    )
    (root / "blog" / "views.py").write_text(_VIEWS)
    (root / "blog" / "urls.py").write_text(_URLS)
    (root / "blog" / "tests.py").write_text(_TESTS)
    (root / "blog" / "migrations" / "0002_seed.py").write_text(_SEED_MIGRATION)
    return root


def _run_tests(project: Path, *args: str, url: str | None = None) -> str:
    env = {"DJANCO_DATABASES__DEFAULT": url} if url else None
    # -W error: a connection left open (a ResourceWarning) fails the run too.
    result = djanco(
        "test", "-q", "-p", "no:cacheprovider", "-W", "error", *args, cwd=project, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "17 passed" in result.stdout, result.stdout
    return result.stdout


def test_sqlite_test_database_is_built_by_migrations(project: Path) -> None:
    _run_tests(project)
    assert not (project / "db.sqlite3").exists()  # the development database is never touched


def test_no_migrations_builds_tables_from_the_models(project: Path) -> None:
    _run_tests(project, "--no-migrations")


@pytest.mark.parametrize("url", _SERVERS, ids=[vendor_of(url) for url in _SERVERS])
def test_server_backends(project: Path, url: str) -> None:
    _run_tests(project, url=url)
    _run_tests(project, "--no-migrations", url=url)
    # As in Django, the configured database itself need not exist: test_<name> is made from
    # the server's maintenance database.
    absent = make_url(url).set(database="djanco_never_created")
    _run_tests(project, url=absent.render_as_string(hide_password=False))
