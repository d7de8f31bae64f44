"""The items of a workshop's survey: the standard set, one per session's narasumber, and the
organizer's own. Each has a stable key under which its answer is stored in a response."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import EvaluationItem, EvaluationItemKind, Workshop, WorkshopSession

LIKERT = EvaluationItemKind.LIKERT
CHOICE = EvaluationItemKind.CHOICE
TEXT = EvaluationItemKind.TEXT
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {
    1: _l("Sangat tidak setuju"),
    2: _l("Tidak setuju"),
    3: _l("Netral"),
    4: _l("Setuju"),
    5: _l("Sangat setuju"),
}
KIND_LABELS = {
    LIKERT: _l("Skala 1–5 (setuju/tidak setuju)"),
    CHOICE: _l("Pilihan tunggal"),
    TEXT: _l("Jawaban singkat"),
}
TEXT_LIMIT = 1000  # characters of one open answer

# (key, statement) of the standard Likert items, before and after the narasumber items.
STANDARD_BEFORE = (
    ("relevance", _l("Materi loka latih ini relevan dengan pekerjaan saya.")),
    ("clarity", _l("Materi disampaikan dengan jelas.")),
    ("materials", _l("Bahan dan modul loka latih bermanfaat bagi saya.")),
    ("organisation", _l("Penyelenggaraan serta tempat atau platform daring mendukung belajar.")),
)
STANDARD_AFTER = (
    ("confidence", _l("Saya yakin dapat menerapkan yang saya pelajari dalam pekerjaan saya.")),
    ("recommend", _l("Saya akan merekomendasikan loka latih ini kepada rekan kerja.")),
)
OPEN_QUESTIONS = (
    ("most_useful", _l("Apa yang paling bermanfaat dari loka latih ini?")),
    ("improve", _l("Apa yang perlu diperbaiki?")),
)
# Short names of the standard statements, for charts across workshops.
SHORT_LABELS = {
    "relevance": _l("Relevan dengan pekerjaan"),
    "clarity": _l("Kejelasan materi"),
    "materials": _l("Bahan dan modul"),
    "organisation": _l("Penyelenggaraan, tempat"),
    "confidence": _l("Yakin menerapkan"),
    "recommend": _l("Akan merekomendasikan"),
}
STANDARD_LIKERT_KEYS = tuple(key for key, _ in STANDARD_BEFORE + STANDARD_AFTER)


@dataclass(frozen=True)
class Item:
    key: str
    kind: EvaluationItemKind
    text: str
    required: bool = False
    choices: tuple[str, ...] = ()
    speakers: str | None = None  # the narasumber of a session item
    custom: EvaluationItem | None = None
    short: str = ""  # a short name for a chart (standard statements)


def session_key(session_id: int) -> str:
    return f"session-{session_id}"


def custom_key(item_id: int) -> str:
    return f"item-{item_id}"


def custom_items(workshop: Workshop) -> list[EvaluationItem]:
    return list(
        db.session.scalars(
            sa.select(EvaluationItem)
            .where(EvaluationItem.workshop_id == workshop.id)
            .order_by(EvaluationItem.position, EvaluationItem.id)
        )
    )


def _speaker_sessions(workshop: Workshop) -> list[WorkshopSession]:
    sessions = sorted(workshop.sessions, key=lambda session: (session.starts_at, session.id))
    return [session for session in sessions if (session.speakers or "").strip()]


def items_for(workshop: Workshop) -> list[Item]:
    """Every item of the workshop's form, in the order the participant sees them. The standard
    statements are required; a narasumber item may be skipped (the participant may have missed
    that session), and so may the organizer's items and the open questions."""
    items = [Item(key, LIKERT, str(text), required=True) for key, text in STANDARD_BEFORE]
    for session in _speaker_sessions(workshop):
        speakers = session.speakers.strip()
        items.append(
            Item(
                session_key(session.id),
                LIKERT,
                _(
                    "Narasumber %(speakers)s membawakan sesi “%(title)s” dengan baik.",
                    speakers=speakers,
                    title=session.title,
                ),
                speakers=speakers,
            )
        )
    items += [Item(key, LIKERT, str(text), required=True) for key, text in STANDARD_AFTER]
    for custom in custom_items(workshop):
        items.append(
            Item(
                custom_key(custom.id),
                custom.kind,
                custom.text,
                choices=tuple(custom.choices or ()),
                custom=custom,
            )
        )
    items += [Item(key, TEXT, str(text)) for key, text in OPEN_QUESTIONS]
    return items
