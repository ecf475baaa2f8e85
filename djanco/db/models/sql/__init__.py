"""The query layer below QuerySet: query state, lookup resolution and SQLAlchemy compilation."""
