"""The benchmark schema in Django: the same tables and columns as orm_djanco/models.py."""

from django.db import models


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
