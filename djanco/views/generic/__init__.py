"""Generic class-based views: View, TemplateView, RedirectView."""

from djanco.views.generic.base import (
    ContextMixin,
    RedirectView,
    TemplateResponseMixin,
    TemplateView,
    View,
    ViewFunction,
)

__all__ = [
    "ContextMixin",
    "RedirectView",
    "TemplateResponseMixin",
    "TemplateView",
    "View",
    "ViewFunction",
]
