"""Why a check-in or an attendance mark was refused: each error has a code and a message for the
user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class CheckInError(LokalatihError):
    code = "checkin_error"
    message = _l("Kehadiran tidak dapat dicatat.")


class CodeExpiredError(CheckInError):
    code = "code_expired"
    message = _l(
        "Kode sudah kedaluwarsa. Masukkan kode terbaru yang tampil di layar penyelenggara."
    )


class CodeInvalidError(CheckInError):
    code = "code_invalid"
    message = _l(
        "Kode presensi salah atau bukan untuk sesi ini. Periksa kembali kode di layar "
        "penyelenggara."
    )


class CheckInNotOpenError(CheckInError):
    code = "checkin_not_open"
    message = _l("Presensi sesi ini tidak sedang dibuka.")


class CheckInNotYetOpenError(CheckInNotOpenError):
    code = "checkin_not_open_yet"
    message = _l("Presensi belum dibuka.")


class CheckInClosedError(CheckInNotOpenError):
    code = "checkin_closed"
    message = _l("Presensi sesi ini sudah ditutup.")


class MarkedBeforeOpeningError(CheckInError):
    """Marking by hand before check-in opens would record attendance at a session that has not
    begun; the window is the one participants get, so both ways of checking in agree."""

    code = "marked_before_opening"

    def __init__(self, opens_at: str) -> None:
        super().__init__(
            _l(
                "Sesi ini belum dimulai: presensi dibuka mulai %(when)s. Untuk tetap menandai "
                "hadir sekarang, tuliskan alasan menandai sebelum presensi dibuka.",
                when=opens_at,
            )
        )


class NotConfirmedError(CheckInError):
    code = "not_confirmed"
    message = _l("Presensi hanya untuk peserta terkonfirmasi loka latih ini.")


class NotCheckedInError(CheckInError):
    code = "not_checked_in"
    message = _l("Peserta ini belum tercatat hadir di sesi ini.")
