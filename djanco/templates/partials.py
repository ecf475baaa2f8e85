"""Template partials, as in Django 6.0: ``"articles/list.html#rows"`` names the block ``rows``
of ``articles/list.html``, rendered on its own (a page and its HTMX fragment share a file)."""

from __future__ import annotations

import difflib

from jinja2 import Template

from djanco.templates.exceptions import PartialDoesNotExist

SEPARATOR = "#"


def partial(template: Template, block: str) -> Template:
    """A template whose rendering is the block ``block`` of ``template`` alone.

    The block sees the variables it is rendered with, as the whole template would give it;
    ``{{ super() }}`` inside it renders the parent's block. Only blocks written in
    ``template`` itself can be named (not ones it merely inherits).
    """
    render_block = template.blocks.get(block)
    if render_block is None:
        blocks = sorted(template.blocks)
        close = difflib.get_close_matches(block, blocks, n=1)
        raise PartialDoesNotExist(template.name or "<string>", block, blocks, close)
    debug_info = "&".join(f"{line}={source}" for line, source in template.debug_info)
    # A block's render function has the root's signature, so a Template built around it
    # renders (sync or async, with the same globals and blocks) exactly that block.
    return Template.from_module_dict(
        template.environment,
        {
            "name": f"{template.name}{SEPARATOR}{block}",
            "__file__": template.filename,
            "blocks": template.blocks,
            "root": render_block,
            "debug_info": debug_info,
        },
        template.globals,
    )
