"""The commands the static files app adds: ``djanco collectstatic`` and ``djanco findstatic``."""
