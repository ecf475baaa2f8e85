"""Templates: the shared Jinja2 environment, its loader, filters and partials, rendering
helpers, TemplateResponse, and the hooks apps use to add globals and filters."""

from djanco.templates.environment import (
    ContextProcessor,
    arender_to_string,
    get_environment,
    get_template,
    register_filter,
    register_global,
    render_to_string,
    reset_environment,
    select_template,
)
from djanco.templates.exceptions import (
    ContentNotRenderedError,
    PartialDoesNotExist,
    SynchronousOnlyOperation,
    TemplateDoesNotExist,
)
from djanco.templates.loader import template_dirs
from djanco.templates.response import TemplateResponse
from djanco.templates.undefined import StrictUndefined, UndefinedVariableError

__all__ = [
    "ContentNotRenderedError",
    "ContextProcessor",
    "PartialDoesNotExist",
    "StrictUndefined",
    "SynchronousOnlyOperation",
    "TemplateDoesNotExist",
    "TemplateResponse",
    "UndefinedVariableError",
    "arender_to_string",
    "get_environment",
    "get_template",
    "register_filter",
    "register_global",
    "render_to_string",
    "reset_environment",
    "select_template",
    "template_dirs",
]
