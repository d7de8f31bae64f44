"""Attachments made at send time: an outbox row can name a document instead of carrying it.

Queuing a thousand certificate emails must not render a thousand PDFs in one request, so such a
row stores `{"source": "certificate", "key": "42", "fallback": {...}}` in its `attachments`.
The sender asks the source registered under that name (a higher feature registers it when the
app is built; the outbox imports no feature) for the file:

- an `Attachment`: attached as usual;
- `None`: the file is not attached (too large); the email goes out with the `fallback` bodies,
  rendered at queue time, which carry a link instead;
- `AttachmentUnavailable`: the document cannot be sent any more (a revoked certificate); the row
  is marked dead at once with the reason, since retrying cannot help.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from .attachments import Attachment

EXTENSION_KEY = "outbox_attachment_sources"

Source = Callable[[str], Attachment | None]


class AttachmentUnavailable(ValueError):
    """The named document can no longer be sent; the message is given up at once."""


def register_source(app: Flask, name: str, source: Source) -> None:
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = source


def resolve(item: dict) -> Attachment | None:
    """The file a stored reference names, or None to send the fallback bodies instead."""
    sources: dict[str, Source] = current_app.extensions.get(EXTENSION_KEY, {})
    source = sources.get(item["source"])
    if source is None:
        raise KeyError(f"no attachment source {item['source']!r}")
    return source(str(item["key"]))
