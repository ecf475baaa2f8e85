"""Models for the ModelForm and model formset tests (app label "formtests")."""

from __future__ import annotations

import datetime as dt

from djanco.core.validators import MinLengthValidator
from djanco.db import models


class Genre(models.TextChoices):
    FICTION = "f", "Fiction"
    POETRY = "p", "Poetry"


class Writer(models.Model):
    name = models.CharField(max_length=50, validators=[MinLengthValidator(2)])
    email = models.EmailField(unique=True)

    books: models.RelatedManager[Book]

    class Meta:
        app_label = "formtests"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=20, unique=True)

    class Meta:
        app_label = "formtests"
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=100, help_text="As printed on the cover")
    slug = models.SlugField(unique=True)
    summary = models.TextField(blank=True)
    genre = models.CharField(max_length=1, choices=Genre, default=Genre.FICTION)
    pages = models.PositiveIntegerField(null=True, blank=True)
    price = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    in_print = models.BooleanField(default=True)
    published = models.DateField(null=True, blank=True)
    added = models.DateTimeField(auto_now_add=True)
    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        app_label = "formtests"
        unique_together = [("writer", "title")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.published is not None and self.published > dt.date(2100, 1, 1):
            raise models.ValidationError({"published": ["Too far in the future."]})


ALL = [Writer, Tag, Book, Book.tags.through]
