"""Workshop descriptions: CommonMark with raw HTML escaped and unsafe links refused."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    # html=False escapes raw HTML; markdown-it's link validation refuses javascript:, vbscript:,
    # file: and most data: URLs. Images are off: pages stay light and no outside host is contacted.
    parser = MarkdownIt("commonmark", {"html": False})
    parser.disable("image")
    return parser


HEADING_SHIFT = 2  # "# Title" becomes <h3>: the page has its own <h1> and <h2> sections


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown text written by an organizer."""
    if not text:
        return Markup("")
    parser = _parser()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
    html = parser.renderer.render(tokens, parser.options, {})
    return Markup(html)  # noqa: S704 (the parser escapes everything)
