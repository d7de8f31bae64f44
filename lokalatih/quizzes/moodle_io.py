"""The question bank and Moodle: preview and import a Moodle XML or GIFT file, export as either.

The import has two steps. `preview` reads the file and sorts every question into ready (will be
added), skipped (a type the bank does not hold) and refused (invalid, or its text is already in the
bank or earlier in the file, with which one). Nothing is written. The page carries the file on in
a signed token (`pending_token`); on confirmation `import_pending` reads it again, previews again
against the bank as it is then, and adds the ready questions in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..audit import record_event
from ..extensions import db
from ..models import User, question_text_key
from . import bank, gift, moodle_xml
from .errors import (
    DuplicateQuestionError,
    ImportFileError,
    NothingToImportError,
    PendingImportError,
)
from .interchange import Parsed, Skipped, question_name

FORMATS = {"xml": "moodle-xml", "gift": "gift"}
MIMETYPES = {"xml": "application/xml; charset=utf-8", "gift": "text/plain; charset=utf-8"}
EXTENSIONS = {"xml": "xml", "gift": "gift", "txt": "gift"}
TOKEN_MAX_AGE = 3600  # seconds between the preview and the confirmation
TOKEN_MAX_CHARS = 450_000  # a form field is read into memory: keep it under Werkzeug's 500 kB
SALT = "lokalatih.moodle-import"


@dataclass(frozen=True)
class Refused:
    number: int
    name: str
    problems: list[str]


@dataclass
class Preview:
    filename: str
    fmt: str
    ready: list[bank.QuestionData] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.ready) + len(self.skipped) + len(self.refused)


def file_format(filename: str) -> str:
    """ "xml" or "gift" by the file's extension (GIFT files are often saved as .txt)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in EXTENSIONS:
        raise ImportFileError(_("Pilih berkas Moodle XML (.xml) atau GIFT (.gift atau .txt)."))
    return EXTENSIONS[extension]


def parse_file(fmt: str, data: bytes) -> Parsed:
    return moodle_xml.parse(data) if fmt == "xml" else gift.parse(data)


def preview(
    filename: str, data: bytes, *, default_topic: str = "", default_source: str = ""
) -> Preview:
    """Sort the file's questions into ready, skipped and refused; writes nothing.

    A question without a category takes `default_topic`, one without "Sumber:" in its general
    feedback takes `default_source`; left empty, such a question is refused, never guessed."""
    fmt = file_format(filename)
    parsed = parse_file(fmt, data)
    result = Preview(filename=_short_name(filename), fmt=fmt, skipped=list(parsed.skipped))
    for data_ in parsed.questions:
        data_.topic = data_.topic or " ".join(default_topic.split())
        data_.source = data_.source or default_source.strip()
    existing = bank.existing_keys(data_.text for data_ in parsed.questions if data_.text)
    first_in_file: dict[str, int] = {}
    for data_ in parsed.questions:
        problems = bank.validate_question_data(data_)
        key = question_text_key(data_.text)
        if data_.text and key in existing:
            problems.append(DuplicateQuestionError(existing[key]).short_message())
        elif data_.text and key in first_in_file:
            problems.append(
                _(
                    "Teks soal sama dengan soal ke-%(number)d di berkas ini.",
                    number=first_in_file[key],
                )
            )
        first_in_file.setdefault(key, data_.row or 0)
        if problems:
            result.refused.append(Refused(data_.row or 0, question_name(data_.text), problems))
        else:
            result.ready.append(data_)
    if not result.total:
        raise ImportFileError(_("Berkas tidak berisi satu soal pun."))
    return result


def _short_name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1][:200]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def pending_token(filename: str, data: bytes, default_topic: str, default_source: str) -> str:
    """The file and the defaults, signed and compressed, for the confirmation form."""
    payload = {
        "name": _short_name(filename),
        "data": data.decode("utf-8-sig"),
        "topic": default_topic,
        "source": default_source,
    }
    token = _serializer().dumps(payload)
    if len(token) > TOKEN_MAX_CHARS:
        raise ImportFileError(
            _("Berkas terlalu besar untuk satu kali impor. Bagi ke beberapa berkas.")
        )
    return token


def read_pending(token: str) -> tuple[str, bytes, str, str]:
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        raise PendingImportError() from None
    return (
        payload["name"],
        payload["data"].encode("utf-8"),
        payload.get("topic", ""),
        payload.get("source", ""),
    )


def import_pending(token: str, *, actor: User | None, ip: str | None = None) -> Preview:
    """Add the ready questions of a previewed file; the preview as it was at this moment."""
    filename, data, topic, source = read_pending(token)
    result = preview(filename, data, default_topic=topic, default_source=source)
    if not result.ready:
        raise NothingToImportError()
    source_label = f"{FORMATS[result.fmt]}:{result.filename}"
    bank.add_questions(result.ready, actor=actor, ip=ip, source=source_label)
    return result


# --- export --------------------------------------------------------------------------------------


def export_bank(
    fmt: str, statement: sa.Select, *, actor: User | None, ip: str | None, filters: dict
) -> bytes:
    """The selected questions as Moodle XML ("xml") or GIFT ("gift"); audited like every export."""
    questions = [bank.data_from_question(q) for q in db.session.scalars(statement)]
    data = write(fmt, questions)
    details = {"format": FORMATS[fmt], "count": len(questions), **filters}
    record_event("question_bank_exported", actor=actor, details=details, ip=ip)
    return data


def write(fmt: str, questions: Sequence[bank.QuestionData]) -> bytes:
    return moodle_xml.write(questions) if fmt == "xml" else gift.write(questions)
