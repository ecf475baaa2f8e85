"""The template loader: settings.TEMPLATES.DIRS first, then each installed app's templates/."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound

from djanco.apps import apps
from djanco.conf import settings
from djanco.templates.exceptions import TemplateDoesNotExist


def template_dirs() -> list[Path]:
    """The directories searched for templates, in order (first match wins).

    App directories follow INSTALLED_APPS order; they are left out until the app registry
    is populated.
    """
    dirs = list(settings.TEMPLATES.DIRS)
    if settings.TEMPLATES.APP_DIRS and apps.ready:
        dirs.extend(
            config.templates_dir
            for config in apps.get_app_configs()
            if config.templates_dir is not None
        )
    return dirs


class DjancoLoader(BaseLoader):
    """Finds templates on the search path fixed at construction.

    A missing template raises TemplateDoesNotExist naming the directories searched, also when
    it is reached through ``{% include %}`` or ``{% extends %}``.
    """

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = dirs
        self._files = FileSystemLoader(dirs)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return self._files.get_source(environment, template)
        except TemplateDoesNotExist:
            raise
        except TemplateNotFound:
            # A strict cutoff: paths share long tails ("…/index.html") without being typos.
            close = difflib.get_close_matches(template, self.list_templates(), n=1, cutoff=0.8)
            raise TemplateDoesNotExist(
                template, self.dirs, suggestion=close[0] if close else None
            ) from None

    def list_templates(self) -> list[str]:
        return self._files.list_templates()
