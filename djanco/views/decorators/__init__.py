"""View decorators, grouped by concern as in Django (``djanco.views.decorators.http``)."""
