"""TemplateResponse: a response that knows its template and context and renders late."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Self

from jinja2 import Template
from starlette.types import Receive, Scope, Send

from djanco.http.response import Content, HttpResponse, HttpResponseBase
from djanco.templates.environment import make_context, refuse_in_event_loop, select_template
from djanco.templates.exceptions import ContentNotRenderedError

if TYPE_CHECKING:
    from djanco.http.request import HttpRequest

PostRenderCallback = Callable[[HttpResponseBase], HttpResponseBase | None]


class TemplateResponse(HttpResponse):
    """What ``render()`` returns: the template is found now, the body is rendered later.

    The ASGI handler calls ``await response.render_async()`` after the view returns, so
    middleware sees the final content and an async view never renders synchronously. Until
    then ``template_name`` and ``context_data`` can still be changed.

    Reading ``content`` before rendering renders synchronously when no event loop is running
    (a sync view, a test); inside a running loop it raises ContentNotRenderedError.
    """

    def __init__(
        self,
        request: HttpRequest | None,
        template: str | Sequence[str],
        context: Mapping[str, object] | None = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(b"", content_type, status, headers, charset)
        self.request = request
        self.template_name = template
        self.context_data: dict[str, object] = dict(context) if context else {}
        self._template = select_template(template)  # a missing template fails in the view
        self._template_for = template
        self._is_rendered = False
        self._post_render_callbacks: list[PostRenderCallback] = []

    @property
    def is_rendered(self) -> bool:
        """Whether the content has been rendered (or set directly)."""
        return self._is_rendered

    @property
    def template(self) -> Template:
        """The Jinja template for ``template_name`` (looked up again if it was changed)."""
        if self._template_for is not self.template_name:
            self._template = select_template(self.template_name)
            self._template_for = self.template_name
        return self._template

    @property
    def content(self) -> bytes:
        """The rendered body (see the class docstring for when it renders by itself)."""
        if not self._is_rendered:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                self.render()
            else:
                raise ContentNotRenderedError(
                    f"The content of this TemplateResponse ({self.template.name!r}) has not "
                    "been rendered yet; call 'await response.render_async()' first (the "
                    "ASGI handler does so once the view returns)."
                )
        return bytes(self.body)

    @content.setter
    def content(self, value: Content) -> None:
        self._set_body(value)
        self._is_rendered = True

    def add_post_render_callback(self, callback: PostRenderCallback) -> None:
        """Call ``callback(response)`` once rendered (now, if already rendered).

        A callback returning a response replaces this one for the callbacks after it.
        """
        if self._is_rendered:
            callback(self)
        else:
            self._post_render_callbacks.append(callback)

    def render(self) -> Self:  # type: ignore[override]  # Starlette's render(content) is unused
        """Render synchronously (no running event loop allowed) and return the response."""
        if not self._is_rendered:
            refuse_in_event_loop("TemplateResponse.render()", "await response.render_async()")
            self.content = self.template.render(make_context(self.context_data, self.request))
            self._run_callbacks()
        return self

    async def render_async(self) -> Self:
        """Render inside the event loop and return the response; rendering twice is a no-op."""
        if not self._is_rendered:
            context = make_context(self.context_data, self.request)
            self.content = await self.template.render_async(context)
            self._run_callbacks()
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.render_async()  # normally done already by the handler
        await super().__call__(scope, receive, send)

    def _run_callbacks(self) -> None:
        response: HttpResponseBase = self
        for callback in self._post_render_callbacks:
            response = callback(response) or response
        self._post_render_callbacks.clear()
