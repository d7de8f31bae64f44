"""Why a survey answer or a survey setting was refused: each error has a code and a message for the
user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class EvaluationError(LokalatihError):
    code = "evaluation"
    field: str | None = None


class NotConfirmedError(EvaluationError):
    code = "evaluation_not_confirmed"
    message = _l("Evaluasi hanya dapat diisi oleh peserta yang pendaftarannya terkonfirmasi.")


class NotOpenYetError(EvaluationError):
    code = "evaluation_not_open"
    message = _l("Evaluasi belum dibuka.")


class ClosedError(EvaluationError):
    code = "evaluation_closed"
    message = _l("Evaluasi sudah ditutup.")


class AlreadyAnsweredError(EvaluationError):
    code = "evaluation_already_answered"
    message = _l("Anda sudah mengisi evaluasi loka latih ini. Terima kasih.")


class MissingAnswerError(EvaluationError):
    code = "evaluation_missing_answer"
    message = _l("Jawab semua pernyataan yang wajib.")

    def __init__(self, key: str) -> None:
        super().__init__()
        self.field = key


class InvalidAnswerError(EvaluationError):
    code = "evaluation_invalid_answer"
    message = _l("Jawaban ini tidak dapat diterima.")

    def __init__(self, key: str) -> None:
        super().__init__()
        self.field = key


class WindowOrderError(EvaluationError):
    code = "evaluation_window_order"
    field = "closes_at"
    message = _l("Waktu evaluasi ditutup harus setelah waktu dibuka.")


class ChoicesError(EvaluationError):
    code = "evaluation_choices"
    field = "choices"
    message = _l("Butir pilihan tunggal memerlukan 2 sampai 8 pilihan yang berbeda.")


class TooManyItemsError(EvaluationError):
    code = "evaluation_too_many_items"
    message = _l("Paling banyak 10 butir tambahan.")


class ItemInUseError(EvaluationError):
    code = "evaluation_item_in_use"
    message = _l("Butir ini tidak dapat dihapus karena sudah ada jawaban evaluasi.")
