"""The benchmark schema in Djanco; orm_django/models.py declares the same tables for Django."""

from djanco.db import models


class Cat(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        db_table = "bench_cat"


class Label(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        db_table = "bench_label"


class Item(models.Model):
    name = models.CharField(max_length=50)
    value = models.IntegerField()
    score = models.FloatField()
    cat = models.ForeignKey(Cat, on_delete=models.CASCADE)
    other = models.ForeignKey(Cat, on_delete=models.CASCADE, related_name="+")
    labels = models.ManyToManyField(Label, db_table="bench_item_labels")

    class Meta:
        db_table = "bench_item"
