"""The model checks (tag "models"): Django's ids and messages, for installed apps' models only.

The models are defined in the tests with the app label "modelchecks", which is not in the test
settings' INSTALLED_APPS: the checks see them only when that app is passed in explicitly, so
they do not show up in other tests' ``run_checks()``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tests.checks
from djanco.apps import AppConfig
from djanco.core.checks import ERROR, CheckMessage, run_checks
from djanco.db import models
from djanco.db.models import registry
from tests.cli.conftest import djanco, startproject


class _ModelChecks(AppConfig):
    label = "modelchecks"


APP = _ModelChecks("tests.checks", tests.checks)


@pytest.fixture(autouse=True)
def _forget_models() -> Iterator[None]:
    """Each test's models (and references still waiting for a model) go when it ends."""
    with registry.scoped():
        yield


def _check() -> list[CheckMessage]:
    return run_checks(app_configs=[APP], tags=["models"])


def _one(id: str) -> CheckMessage:
    [message] = [m for m in _check() if m.id == id]
    assert message.level == ERROR
    return message


def test_models_of_apps_not_installed_are_not_checked() -> None:
    class McUninstalled(models.Model):
        class Meta:
            app_label = "modelchecks"
            ordering = ["nothing"]

    assert run_checks() == []  # the test settings install no app
    assert [m.id for m in _check()] == ["models.E015"]


def test_relation_to_an_unknown_model_e300() -> None:
    class McAbstract(models.Model):
        class Meta:
            abstract = True
            app_label = "modelchecks"

    class McBroken(models.Model):
        ghost: models.ForeignKey[Any] = models.ForeignKey(
            "McNowhereModel", on_delete=models.CASCADE
        )
        elsewhere: models.ForeignKey[Any] = models.ForeignKey(
            "mc_not_installed.McElsewhere", on_delete=models.CASCADE
        )
        abstract = models.ForeignKey(McAbstract, on_delete=models.CASCADE, related_name="+")
        many: models.ManyToManyField[Any] = models.ManyToManyField("McNowhereTag")

        class Meta:
            app_label = "modelchecks"

    messages = [m for m in _check() if m.id == "fields.E300"]
    assert [(str(m.obj), m.msg) for m in messages] == [
        (
            f"modelchecks.McBroken.{name}",
            f"Field defines a relation with model '{model}', which is either not installed, "
            "or is abstract.",
        )
        for name, model in [
            ("ghost", "McNowhereModel"),
            ("elsewhere", "mc_not_installed.McElsewhere"),
            ("abstract", "McAbstract"),
            ("many", "McNowhereTag"),
        ]
    ]
    assert messages[0].obj is McBroken._meta.get_field("ghost")


def test_unknown_through_model_e331() -> None:
    class McThroughTarget(models.Model):
        class Meta:
            app_label = "modelchecks"

    class McThrough(models.Model):
        many = models.ManyToManyField(McThroughTarget, through="McNowhereThrough")

        class Meta:
            app_label = "modelchecks"

    assert [str(m) for m in _check()] == [
        "modelchecks.McThrough.many: (fields.E331) Field specifies a many-to-many relation "
        "through model 'McNowhereThrough', which has not been installed."
    ]


def test_set_null_without_null_e320() -> None:
    class McE320Target(models.Model):
        class Meta:
            app_label = "modelchecks"

    class McE320(models.Model):
        target = models.ForeignKey(McE320Target, on_delete=models.SET_NULL)

        class Meta:
            app_label = "modelchecks"

    message = _one("fields.E320")
    assert message.obj is McE320._meta.get_field("target")
    assert message.msg == "Field specifies on_delete=SET_NULL, but cannot be null."
    assert message.hint == "Set null=True argument on the field, or change the on_delete rule."


def test_set_default_without_default_e321() -> None:
    class McE321Target(models.Model):
        class Meta:
            app_label = "modelchecks"

    class McE321(models.Model):
        target = models.ForeignKey(McE321Target, on_delete=models.SET_DEFAULT)
        fine = models.ForeignKey(
            McE321Target, on_delete=models.SET_DEFAULT, default=1, related_name="+"
        )

        class Meta:
            app_label = "modelchecks"

    message = _one("fields.E321")
    assert str(message) == (
        "modelchecks.McE321.target: (fields.E321) Field specifies on_delete=SET_DEFAULT, but has "
        "no default value.\n\tHINT: Set a default value, or change the on_delete rule."
    )


def test_ordering_e015() -> None:
    class McE015Author(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "modelchecks"

    class McE015(models.Model):
        title = models.CharField(max_length=50)
        author = models.ForeignKey(McE015Author, on_delete=models.CASCADE)
        published = models.DateField(null=True)

        class Meta:
            app_label = "modelchecks"
            ordering = [
                "-title",
                "?",
                "pk",
                "author__name",
                "-published__year",
                models.F("title").desc(),
                "-titel",
                "author__nmae",
            ]

    messages = _check()
    assert [(m.id, str(m)) for m in messages] == [
        (
            "models.E015",
            "modelchecks.McE015: (models.E015) 'ordering' refers to the nonexistent field, "
            f"related field, or lookup '{name}'.",
        )
        for name in ["titel", "author__nmae"]
    ]
    assert messages[0].obj is McE015


def test_field_lists_e012_and_e013() -> None:
    class McE012Tag(models.Model):
        class Meta:
            app_label = "modelchecks"

    class McE012(models.Model):
        title = models.CharField(max_length=50)
        tags = models.ManyToManyField(McE012Tag)

        class Meta:
            app_label = "modelchecks"
            unique_together = [("title", "slug")]
            indexes = [models.Index(fields=["-title"]), models.Index(fields=["-created"])]
            constraints = [
                models.UniqueConstraint(fields=["title", "tags"], name="mc_title_tags"),
                models.UniqueConstraint(fields=["titel"], name="mc_titel"),
            ]

    assert [(m.id, m.msg) for m in _check()] == [
        ("models.E012", "'unique_together' refers to the nonexistent field 'slug'."),
        ("models.E012", "'indexes' refers to the nonexistent field 'created'."),
        (
            "models.E013",
            "'constraints' refers to a ManyToManyField 'tags', but ManyToManyFields are not "
            "permitted in 'constraints'.",
        ),
        ("models.E012", "'constraints' refers to the nonexistent field 'titel'."),
    ]
    assert _check()[0].obj is McE012


def test_reverse_accessor_and_query_name_clashes_e304_e305() -> None:
    class McClashPerson(models.Model):
        class Meta:
            app_label = "modelchecks"

    class McClash(models.Model):
        author = models.ForeignKey(McClashPerson, on_delete=models.CASCADE)
        editor = models.ForeignKey(McClashPerson, on_delete=models.CASCADE)
        reviewer = models.ForeignKey(
            McClashPerson, on_delete=models.CASCADE, related_name="reviewed"
        )

        class Meta:
            app_label = "modelchecks"

    author, editor = "modelchecks.McClash.author", "modelchecks.McClash.editor"
    messages = _check()
    assert [(m.id, str(m.obj)) for m in messages] == [
        ("fields.E304", author),
        ("fields.E305", author),
        ("fields.E304", editor),
        ("fields.E305", editor),
    ]
    assert messages[0].msg == (
        f"Reverse accessor 'McClashPerson.mcclash_set' for '{author}' clashes with reverse "
        f"accessor for '{editor}'."
    )
    assert messages[1].msg == (
        f"Reverse query name for '{author}' clashes with reverse query name for '{editor}'."
    )
    assert (
        messages[0].hint
        == messages[1].hint
        == (
            f"Add or change a related_name argument to the definition for '{author}' or '{editor}'."
        )
    )


def test_decimal_field_digits_e131_to_e134() -> None:
    class McDecimal(models.Model):
        fine = models.DecimalField(max_digits=5, decimal_places=2)
        negative_places = models.DecimalField(max_digits=5, decimal_places=-1)
        no_digits = models.DecimalField(max_digits=None, decimal_places=2)  # type: ignore[call-overload]
        zero_digits = models.DecimalField(max_digits=0, decimal_places=0)
        too_few = models.DecimalField(
            max_digits=2, decimal_places=3, default=decimal.Decimal("0.001")
        )

        class Meta:
            app_label = "modelchecks"

    assert [(m.id, str(m.obj), m.msg) for m in _check()] == [
        (
            "fields.E131",
            "modelchecks.McDecimal.negative_places",
            "'decimal_places' must be a non-negative integer.",
        ),
        (
            "fields.E132",
            "modelchecks.McDecimal.no_digits",
            "DecimalFields must define a 'max_digits' attribute.",
        ),
        (
            "fields.E133",
            "modelchecks.McDecimal.zero_digits",
            "'max_digits' must be a positive integer.",
        ),
        (
            "fields.E134",
            "modelchecks.McDecimal.too_few",
            "'max_digits' must be greater or equal to 'decimal_places'.",
        ),
    ]


def test_djanco_check_reports_a_bad_ordering(tmp_path: Path) -> None:
    project = startproject(tmp_path)
    assert djanco("startapp", "blog", cwd=project).returncode == 0
    settings = project / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            'INSTALLED_APPS: list[str] = ["djanco.contrib.staticfiles"]',
            'INSTALLED_APPS = ["blog"]',
        )
    )
    (project / "blog" / "models.py").write_text(
        "from djanco.db import models\n\n\n"
        "class Article(models.Model):\n"
        "    title = models.CharField(max_length=200)\n\n"
        "    class Meta:\n"
        '        ordering = ["titel"]\n'
    )
    result = djanco("check", cwd=project)
    assert result.returncode != 0
    assert (
        "blog.Article: (models.E015) 'ordering' refers to the nonexistent field, related field, "
        "or lookup 'titel'." in result.stdout
    )
    assert djanco("check", "--tag", "urls", cwd=project).returncode == 0
