"""Turning Django-style test-client arguments into an httpx request, for both clients."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping, Sequence
from typing import IO, TypedDict, Unpack

import httpx

FormValue = str | int | float
"""One value of a query string or form field."""
FormData = Mapping[str, FormValue | Sequence[FormValue]]
"""Query parameters or form fields; a sequence value repeats the key."""
RequestData = FormData | str | bytes
"""``data=``: query parameters for GET/HEAD; a form, or a raw body with ``content_type``."""
Upload = bytes | IO[bytes] | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]
"""A file to upload: its content, or ``(filename, content)``, or ``(filename, content, type)``."""


class RequestOptions(TypedDict, total=False):
    """Keyword options every client method takes."""

    follow: bool
    """Follow redirects; the hops are in ``response.history``."""
    headers: Mapping[str, str] | None
    content_type: str | None
    """Content type of the body; a JSON type makes a mapping ``data`` JSON-encoded."""
    json: object
    """A value sent as a JSON body (``application/json`` unless ``content_type`` says else)."""
    files: Mapping[str, Upload]
    """Files to upload: the request becomes ``multipart/form-data``, with ``data`` as fields."""


_QUERY_METHODS = frozenset({"GET", "HEAD"})
_FORM_TYPE = "application/x-www-form-urlencoded"
_MULTIPART_TYPE = "multipart/form-data"


def build_request(
    client: httpx.Client | httpx.AsyncClient,
    method: str,
    path: str,
    data: RequestData | None,
    **kwargs: Unpack[RequestOptions],
) -> httpx.Request:
    """Build the request as Django's test client would send it.

    GET and HEAD put ``data`` in the query string. Other methods send ``json`` as a JSON body;
    a mapping as an urlencoded form, as multipart with ``files`` (or that content type), or as
    JSON if ``content_type`` says so; and str/bytes as they are, labelled ``content_type``
    (default ``application/octet-stream``).
    """
    method = method.upper()
    request_headers = dict(kwargs.get("headers") or {})
    content_type = kwargs.get("content_type")
    json = kwargs.get("json")
    files = kwargs.get("files")
    params: FormData | None = None
    content: bytes | None = None
    form: FormData | None = None
    parts: list[tuple[str, Upload | tuple[None, str]]] | None = None
    if json is not None:
        content = jsonlib.dumps(json).encode()
        content_type = content_type or "application/json"
    elif method in _QUERY_METHODS and data is not None:
        if isinstance(data, str | bytes):
            raise TypeError(f"{method} data must be a mapping of query parameters, not {data!r}")
        params = data
    elif isinstance(data, str | bytes):
        content = data.encode() if isinstance(data, str) else data
        content_type = content_type or "application/octet-stream"
    elif files or _media_type(content_type) == _MULTIPART_TYPE:
        # httpx writes the multipart body and its content type, boundary included.
        parts = [*_fields(data or {}), *(files or {}).items()]
        content_type = None
    elif data is None:
        pass
    elif content_type is None or _media_type(content_type) == _FORM_TYPE:
        form = data
        content_type = content_type or _FORM_TYPE
    elif _is_json(content_type):
        content = jsonlib.dumps(data).encode()
    else:
        raise TypeError(
            f"Cannot encode a mapping as {content_type!r}: pass the body as str or bytes."
        )
    if content_type is not None:
        request_headers["content-type"] = content_type
    return client.build_request(
        method,
        path,
        params=params,
        content=content,
        data=form,
        files=parts,
        headers=request_headers,
    )


def _fields(data: FormData) -> list[tuple[str, tuple[None, str]]]:
    """Form fields as multipart parts without a filename (so they are not files)."""
    fields: list[tuple[str, tuple[None, str]]] = []
    for name, value in data.items():
        values = [value] if isinstance(value, str | int | float) else value
        fields.extend((name, (None, str(item))) for item in values)
    return fields


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


def _is_json(content_type: str) -> bool:
    media_type = _media_type(content_type)
    return media_type == "application/json" or media_type.endswith("+json")
