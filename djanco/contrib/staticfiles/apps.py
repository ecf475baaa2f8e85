"""The static files app's configuration: its ready() registers the ``static()`` template
global, the mount serving STATIC_URL and the system checks."""

from __future__ import annotations

from djanco.apps import AppConfig
from djanco.contrib.staticfiles import checks
from djanco.contrib.staticfiles.handlers import static_mount
from djanco.contrib.staticfiles.templatetags import static
from djanco.core.checks import register
from djanco.http import register_mount
from djanco.templates import register_global


class StaticFilesConfig(AppConfig):
    """``djanco.contrib.staticfiles``: finders, serving, ``collectstatic``, ``findstatic``."""

    name = "djanco.contrib.staticfiles"
    label = "staticfiles"
    verbose_name = "Static Files"
    ignore_patterns = ["CVS", ".*", "*~"]
    """Glob patterns of files and directories ``collectstatic`` leaves out by default."""

    def ready(self) -> None:
        register_global("static", static)
        register_mount(self.name, static_mount)
        register(checks.check_settings, checks.TAG)
        register(checks.check_static_calls, checks.TAG, "templates")
