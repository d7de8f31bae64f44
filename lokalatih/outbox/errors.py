"""Why an outbox action was refused: each error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class MessageNotFoundError(LokalatihError):
    code = "outbox_message_not_found"
    message = _l("Email tidak ditemukan.")


class MessageNotDeadError(LokalatihError):
    code = "outbox_message_not_dead"
    message = _l("Hanya email yang gagal terkirim yang dapat dikirim ulang.")
