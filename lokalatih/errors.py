"""Domain errors: services raise them, routes turn them into messages."""

from flask_babel import lazy_gettext as _l


class LokalatihError(Exception):
    code = "error"
    message = _l("Terjadi kesalahan.")

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class RecordedFailure(LokalatihError):
    """A failure the service has recorded before raising (a failed sign-in counter, the audit entry
    of a wrong password or code): the request commits that record (see `unit_of_work`)."""


class OverrideNotAllowedError(LokalatihError):
    code = "override_not_allowed"
    message = _l("Hanya penyelenggara yang dapat melanjutkan dengan alasan.")
