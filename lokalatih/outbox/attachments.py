"""What an outbox row attaches: a file it carries (`Attachment`), or the name of a document the
sender makes at send time (`AttachmentRef`, see sources.py)."""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }


@dataclass(frozen=True)
class AttachmentRef:
    """An attachment the sender makes when it sends: `source` names the maker, `key` the document.

    `fallback_text` and `fallback_html` replace the bodies when the source attaches nothing.
    """

    source: str
    key: str
    fallback_text: str
    fallback_html: str | None = None

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "key": self.key,
            "fallback": {"body_text": self.fallback_text, "body_html": self.fallback_html},
        }
