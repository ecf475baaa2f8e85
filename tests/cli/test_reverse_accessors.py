"""Reverse accessors: `djanco check` names each one a model does not declare (typing.I001) with
the line to add, and `djanco check --fix` writes them, after which the project passes mypy
--strict, pyright strict and ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import add_app, clean_env, djanco, startproject

_NEWS = '''"""Models of the news app."""

from typing import TYPE_CHECKING, Final

from djanco.db import models

if TYPE_CHECKING:
    from blog.models import Tag

PER_YEAR: Final = 12


class Edition(models.Model):
    number = models.IntegerField()

    def cover_tag(self) -> "Tag | None":
        return None
'''

_BLOG = '''"""Models of the blog app."""

import uuid

from djanco.db import models

from news.models import Edition


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A label."""


class Article(models.Model):
    key = models.UUIDField(default=uuid.uuid4)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    editor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+", null=True)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="articles")

    class Meta:
        ordering = ["key"]


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)


class Profile(models.Model):
    author: models.OneToOneField[Author] = models.OneToOneField(
        Author, on_delete=models.CASCADE, related_name="profile"
    )
'''

_SHOP = '''"""Models of the shop app."""

from djanco.db import models

from blog.models import Author


class Order(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="orders")
'''

_USAGE = '''"""Every reverse accessor, as code using the models would reach them."""

from blog.models import Article, Author, Tag
from news.models import Edition


def summary(author: Author, tag: Tag, article: Article, edition: Edition) -> list[object]:
    return [
        [a.key for a in author.articles.all()],
        [a.key for a in tag.articles.all()],
        article.comment_set.count(),
        author.profile.pk,
        author.orders.count(),
        [a.key for a in edition.articles.all()],
    ]
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = startproject(tmp_path_factory.mktemp("accessors"))
    add_app(root, "news", _NEWS)
    add_app(root, "blog", _BLOG)
    add_app(root, "shop", _SHOP)
    (root / "blog" / "usage.py").write_text(_USAGE)
    return root


def _checker(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_names_each_undeclared_accessor_and_fix_declares_them(project: Path) -> None:
    before = djanco("check", "--tag", "typing", cwd=project)
    assert before.returncode == 0, before.stderr
    infos = [line for line in before.stdout.splitlines() if "(typing.I001)" in line]
    assert len(infos) == 6, before.stdout
    assert (
        "blog.Tag: (typing.I001) The reverse accessor Tag.articles (from Article.tags) is not "
        "declared, so type checkers reject tag.articles.\n"
        '\tHINT: Add `articles: models.ManyRelatedManager["Article"]` to class Tag in '
        "blog/models.py, or run `djanco check --fix`." in before.stdout.replace("        ", "\t")
    )
    assert (
        '\tHINT: Add `orders: models.RelatedManager["Order"]` to class Author in blog/models.py, '
        'with "from shop.models import Order" under "if TYPE_CHECKING:", or run `djanco check '
        "--fix`." in before.stdout.replace("        ", "\t")
    )
    assert "Author.editor" not in before.stdout  # related_name="+" has no accessor
    mypy = _checker(project, "mypy", "--strict")
    assert mypy.returncode == 1
    assert '"Tag" has no attribute "articles"' in mypy.stdout

    fixed = djanco("check", "--fix", cwd=project)
    assert fixed.returncode == 0, fixed.stderr
    assert (
        'Declared blog/models.py: class Author: orders: models.RelatedManager["Order"]'
        in fixed.stdout
    )
    assert 'Declared blog/models.py: class Author: profile: "Profile"' in fixed.stdout
    assert "typing.I001" not in fixed.stdout
    blog = (project / "blog" / "models.py").read_text()
    assert "from typing import TYPE_CHECKING\n" in blog
    assert "if TYPE_CHECKING:\n    from shop.models import Order\n" in blog
    news = (project / "news" / "models.py").read_text()
    assert "if TYPE_CHECKING:\n    from blog.models import Article, Tag\n\n" in news

    after = djanco("check", "--tag", "typing", cwd=project)
    assert after.stdout == "System check identified no issues (0 silenced).\n", after.stdout
    for command in [
        ["mypy", "--strict"],
        ["pyright", "--pythonpath", sys.executable],
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
    ]:
        result = _checker(project, *command)
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
