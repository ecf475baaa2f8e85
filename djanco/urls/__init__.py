"""Django-style URL routing: ``path()``, ``include()``, ``reverse()`` and ``resolve()``."""

from djanco.urls.base import (
    URLSignature,
    clear_url_caches,
    get_resolver,
    resolve,
    reverse,
    reverse_lazy,
    reverse_signatures,
)
from djanco.urls.conf import Included, include, path, re_path
from djanco.urls.converters import register_converter
from djanco.urls.exceptions import NoReverseMatch, Resolver404
from djanco.urls.resolver_match import ResolverMatch, RouteInfo
from djanco.urls.resolvers import URLEntry, URLPattern, URLResolver

__all__ = [
    "Included",
    "NoReverseMatch",
    "Resolver404",
    "ResolverMatch",
    "RouteInfo",
    "URLEntry",
    "URLPattern",
    "URLResolver",
    "URLSignature",
    "clear_url_caches",
    "get_resolver",
    "include",
    "path",
    "re_path",
    "register_converter",
    "resolve",
    "reverse",
    "reverse_lazy",
    "reverse_signatures",
]
