"""The two TechEmpower tables."""

from djanco.db import models


class World(models.Model):
    id = models.AutoField(primary_key=True)
    randomnumber = models.IntegerField()

    class Meta:
        db_table = "world"


class Fortune(models.Model):
    id = models.AutoField(primary_key=True)
    message = models.CharField(max_length=2048)

    class Meta:
        db_table = "fortune"
