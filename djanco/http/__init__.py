"""HTTP objects: HttpRequest, QueryDict and the HttpResponse family, with Django's names, the
Protocols of ``request.session`` and ``request.user``, and ASGI apps mounted beside the views."""

from djanco.core.exceptions import BadRequest, Http404
from djanco.http.mounts import Mount, MountFactory, register_mount
from djanco.http.protocols import MiddlewareNotInstalled, RequestSession, RequestUser
from djanco.http.querydict import MultiValueDictKeyError, QueryDict
from djanco.http.request import JSON, HttpRequest
from djanco.http.response import (
    BadHeaderError,
    DisallowedRedirect,
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseRedirectBase,
    HttpResponseServerError,
    JsonResponse,
    StreamingHttpResponse,
)

__all__ = [
    "JSON",
    "BadHeaderError",
    "BadRequest",
    "DisallowedRedirect",
    "FileResponse",
    "Http404",
    "HttpRequest",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
    "MiddlewareNotInstalled",
    "Mount",
    "MountFactory",
    "MultiValueDictKeyError",
    "QueryDict",
    "RequestSession",
    "RequestUser",
    "StreamingHttpResponse",
    "register_mount",
]
