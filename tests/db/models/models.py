"""Models shared by the ORM tests (app label "modeltests")."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from djanco.db import models


class Status(models.TextChoices):
    DRAFT = "d", "Draft"
    PUBLISHED = "p", "Published"


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True, null=True)
    age = models.IntegerField(null=True, blank=True)

    articles: models.RelatedManager[Article]

    class Meta:
        app_label = "modeltests"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=1, choices=Status, default=Status.DRAFT)
    views = models.IntegerField(default=0)
    published = models.DateTimeField(null=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
    editor = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="edited"
    )

    class Meta:
        app_label = "modeltests"

    def __str__(self) -> str:
        return self.title


class Kitchen(models.Model):
    """One column of each simple type."""

    text = models.CharField(max_length=50, default="")
    big = models.BigIntegerField(default=0)
    small = models.SmallIntegerField(null=True)
    ratio = models.FloatField(null=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    flag = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(null=True)
    token = models.UUIDField(null=True)
    data = models.JSONField(null=True)
    blob = models.BinaryField(null=True)
    slug = models.SlugField(null=True)
    url = models.URLField(null=True)

    class Meta:
        app_label = "modeltests"


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    label = models.CharField(max_length=30, unique=True)

    class Meta:
        app_label = "modeltests"


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    day = models.DateField(auto_now_add=True)

    class Meta:
        app_label = "modeltests"


class Guarded(models.Model):
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="guards")

    class Meta:
        app_label = "modeltests"


class Node(models.Model):
    name = models.CharField(max_length=20)
    parent: models.ForeignKey[Node | None] = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, related_name="children"
    )

    class Meta:
        app_label = "modeltests"


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(default="")

    class Meta:
        app_label = "modeltests"


ALL = [Author, Article, Kitchen, Tag, Stamped, Guarded, Node, Profile]  # see also M2M
UTC = dt.UTC
D = decimal.Decimal


class Label(models.Model):
    name = models.CharField(max_length=20)

    posts: models.ManyRelatedManager[Post]

    class Meta:
        app_label = "modeltests"
        ordering = ["name"]


class Post(models.Model):
    title = models.CharField(max_length=20)
    labels = models.ManyToManyField(Label, related_name="posts")
    friends: models.ManyToManyField[Post] = models.ManyToManyField("self")

    class Meta:
        app_label = "modeltests"


M2M = [Label, Post, Post.labels.through, Post.friends.through]


class Booking(models.Model):
    room = models.IntegerField()
    day = models.DateField()
    active = models.BooleanField(default=True)
    seats = models.IntegerField(default=1)
    code = models.CharField(max_length=10, default="")

    class Meta:
        app_label = "modeltests"
        indexes = [models.Index(fields=["day", "-room"])]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "day"], condition=models.Q(active=True), name="one_active"
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="seats_positive"),
            models.UniqueConstraint(fields=["code", "day"], name="code_day"),
        ]


class LiveManager(models.Manager["Entry"]):
    def get_queryset(self) -> models.QuerySet[Entry]:
        return super().get_queryset().filter(live=True)


class TimestampedBase(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    live_objects = LiveManager()

    class Meta:
        abstract = True
        ordering = ["-created"]


class Entry(TimestampedBase):
    title = models.CharField(max_length=20)
    live = models.BooleanField(default=True)

    objects = models.Manager["Entry"]()

    class Meta(TimestampedBase.Meta):
        app_label = "modeltests"


class Team(models.Model):
    code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=20, default="")

    class Meta:
        app_label = "modeltests"
        default_related_name = "teams"


class Player(models.Model):
    name = models.CharField(max_length=20)
    team = models.ForeignKey(Team, on_delete=models.RESTRICT, to_field="code")
    coach: models.ForeignKey[Coach | None] = models.ForeignKey(
        "Coach", on_delete=models.SET_DEFAULT, null=True, default=None
    )
    number = models.IntegerField(default=0)

    class Meta:
        app_label = "modeltests"
        default_related_name = "players"
        unique_together = [("team", "number")]


class Coach(models.Model):
    name = models.CharField(max_length=20)
    teams = models.ManyToManyField(Team, through="Contract", related_name="coaches")

    class Meta:
        app_label = "modeltests"


class Contract(models.Model):
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    year = models.IntegerField(default=2024)

    class Meta:
        app_label = "modeltests"


class Season(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="seasons")
    year = models.IntegerField()

    class Meta:
        app_label = "modeltests"


class Fixture(models.Model):
    season = models.ForeignKey(Season, on_delete=models.RESTRICT, related_name="fixtures")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="fixtures")

    class Meta:
        app_label = "modeltests"


SPORT = [Team, Coach, Player, Contract, Season, Fixture]


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    HIGH = 2


def _even(value: object) -> None:
    if isinstance(value, int) and value % 2:
        raise models.ValidationError(f"{value} is not even.")


class Task(models.Model):
    title = models.CharField(max_length=30, db_column="task_title", verbose_name="headline")
    priority = models.IntegerField(choices=Priority, default=Priority.LOW)
    size = models.IntegerField(default=0, validators=[_even])
    due = models.DateTimeField(null=True)

    class Meta:
        app_label = "modeltests"
        db_table = "custom_tasks"
        verbose_name = "job"
