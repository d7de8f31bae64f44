"""Why a quiz, attempt or question-bank action was refused: each error has a code and a message for
the user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError
from ..extensions import db
from ..models import Question


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row of an imported question table (`ImportRowsError` lists them)."""

    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _(
            "Baris %(row)d, kolom %(column)s: %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


# Quiz settings and questions


class QuizError(LokalatihError):
    code = "quiz_error"
    field: str | None = None


class QuestionsLockedError(QuizError):
    code = "questions_locked"
    message = _l(
        "Daftar soal tidak dapat diubah karena sudah ada peserta yang mulai mengerjakan tes ini."
    )


class WindowOrderError(QuizError):
    code = "window_order"
    field = "closes_at"
    message = _l("Waktu tes ditutup harus setelah waktu tes dibuka.")


class UnknownQuestionError(QuizError):
    code = "unknown_question"
    message = _l("Sebagian soal yang dipilih tidak ada atau sudah tidak dipakai lagi.")


class NothingToDrawError(QuizError):
    code = "nothing_to_draw"
    message = _l("Tidak ada soal lain yang dapat diundi dari topik yang dipilih.")


# Attempts


class AttemptError(LokalatihError):
    code = "attempt_error"


class NotConfirmedError(AttemptError):
    code = "not_confirmed"
    message = _l("Hanya peserta yang pendaftarannya sudah terkonfirmasi dapat mengerjakan tes ini.")


class QuizNotOpenError(AttemptError):
    code = "quiz_not_open"
    message = _l("Tes ini belum dibuka.")


class QuizClosedError(AttemptError):
    code = "quiz_closed"
    message = _l("Tes ini sudah ditutup.")


class QuizEmptyError(AttemptError):
    code = "quiz_empty"
    message = _l("Tes ini belum memiliki soal.")


class TimeUpError(AttemptError):
    code = "time_up"
    message = _l(
        "Waktu mengerjakan sudah habis, jadi jawaban ini tidak dapat disimpan lagi. "
        "Jawaban yang tersimpan sebelum batas waktu tetap dinilai."
    )


class AlreadySubmittedError(AttemptError):
    code = "already_submitted"
    message = _l("Jawaban tes ini sudah dikirim dan tidak dapat diubah lagi.")


class InvalidAnswerError(AttemptError):
    code = "invalid_answer"
    message = _l("Jawaban tidak sah: soal atau pilihan itu tidak ada dalam tes ini.")


class AttemptNotFoundError(AttemptError):
    """Not the viewer's attempt (or none at all): the route answers 404, revealing nothing."""

    code = "attempt_not_found"
    message = _l("Halaman tidak ditemukan.")


# The question bank


class QuestionError(LokalatihError):
    code = "question_invalid"
    message = _l("Soal belum valid.")


class InvalidQuestionError(QuestionError):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class DuplicateQuestionError(QuestionError):
    """The bank holds one question per text (compared trimmed, spacing collapsed, case-folded):
    two would make its own export refuse to re-import. The message names the question."""

    code = "question_duplicate"
    field = "text"

    def __init__(self, existing_id: int, existing_text: str | None = None) -> None:
        self.existing_id = existing_id
        if existing_text is None:
            found = db.session.get(Question, existing_id)
            existing_text = found.text if found is not None else ""
        self.existing_text = _excerpt(existing_text)
        super().__init__(
            _l(
                'Soal dengan teks yang sama sudah ada di bank soal (soal #%(id)d): "%(text)s". '
                "Ubah soal itu, atau pulihkan bila sudah diarsipkan.",
                id=existing_id,
                text=self.existing_text,
            )
        )

    def short_message(self) -> str:
        """For a list of import problems: which question already has the text."""
        return _(
            'Teks soal sudah ada di bank soal (soal #%(id)d): "%(text)s".',
            id=self.existing_id,
            text=self.existing_text,
        )


# Importing into the bank


class ImportFileError(LokalatihError):
    """The file as a whole cannot be read; nothing was imported."""

    code = "bank_import_file"
    message = _l("Berkas tidak dapat dibaca.")


class ImportRowsError(LokalatihError):
    """Some rows are not valid; nothing was imported."""

    code = "bank_import_rows"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        rows = len({problem.row for problem in self.problems})
        super().__init__(
            _(
                "Ada %(count)d masalah pada %(rows)d baris. Tidak ada soal yang diimpor: "
                "perbaiki baris-baris ini lalu unggah lagi.",
                count=len(self.problems),
                rows=rows,
            )
        )


# Cloning the pre-test


class CloneStartOutOfRangeError(QuizError):
    code = "clone_start_out_of_range"
    field = "start_date"
    message = _l("Tanggal mulai salinan paling jauh sepuluh tahun dari tanggal mulai loka latih.")


class PostTestNotEmptyError(QuizError):
    code = "post_test_not_empty"
    message = _l(
        "Pasca-tes sudah berisi soal; soal pra-tes hanya dapat disalin ke pasca-tes kosong."
    )


class NoPreTestQuestionsError(QuizError):
    code = "no_pre_test_questions"
    message = _l("Pra-tes belum berisi soal yang dapat disalin.")


# Moodle imports


class NothingToImportError(LokalatihError):
    code = "moodle_import_empty"
    message = _l("Tidak ada soal yang dapat diimpor dari berkas ini.")


class PendingImportError(LokalatihError):
    code = "moodle_import_expired"
    message = _l("Pratinjau sudah kedaluwarsa atau rusak. Unggah berkasnya lagi.")


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
