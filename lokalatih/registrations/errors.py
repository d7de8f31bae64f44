"""Why a registration action was refused: each error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class RegistrationError(LokalatihError):
    code = "registration_error"


class EmailNotVerifiedError(RegistrationError):
    code = "email_not_verified"
    message = _l("Verifikasi alamat email Anda terlebih dahulu sebelum mendaftar.")


class ProfileIncompleteError(RegistrationError):
    code = "profile_incomplete"
    message = _l("Lengkapi profil Anda terlebih dahulu sebelum mendaftar.")


class ConsentRequiredError(RegistrationError):
    code = "consent_required"
    message = _l("Berikan persetujuan pengolahan data pribadi terlebih dahulu sebelum mendaftar.")


class RegistrationClosedError(RegistrationError):
    code = "registration_closed"
    message = _l("Pendaftaran loka latih ini sedang tidak dibuka.")


class AlreadyRegisteredError(RegistrationError):
    code = "already_registered"
    message = _l("Anda sudah terdaftar di loka latih ini.")


class SeatsFullError(RegistrationError):
    code = "seats_full"
    message = _l("Kursi sudah penuh.")


class NoSeatFreeError(RegistrationError):
    code = "no_seat_free"
    message = _l("Tidak ada kursi kosong untuk peserta ini. Naikkan kapasitas terlebih dahulu.")


class NotPendingError(RegistrationError):
    code = "not_pending"
    message = _l("Pendaftaran ini tidak sedang menunggu persetujuan.")


class NotWaitlistedError(RegistrationError):
    code = "not_waitlisted"
    message = _l("Peserta ini tidak berada dalam daftar tunggu.")


class NotActiveError(RegistrationError):
    code = "not_active"
    message = _l("Pendaftaran ini sudah ditolak atau dibatalkan.")


class CancelClosedError(RegistrationError):
    code = "cancel_closed"
    message = _l("Loka latih ini sudah selesai; pendaftaran tidak dapat dibatalkan lagi.")


class WorkshopInactiveError(RegistrationError):
    code = "workshop_inactive"
    message = _l("Loka latih ini sudah selesai atau dibatalkan; kursi tidak dapat diberikan lagi.")


class GroupEmailQuotaError(RegistrationError):
    """A group email over the day's quota: organizers write to participants, not bulk mail."""

    code = "group_email_quota"


class WalkInFullError(RegistrationError):
    """No seat for a walk-in: the organizer may put them on the waitlist instead."""

    code = "walk_in_full"
    message = _l("Kursi sudah penuh. Anda dapat memasukkan peserta ini ke daftar tunggu.")


class WalkInNoWaitlistError(RegistrationError):
    code = "walk_in_no_waitlist"
    message = _l(
        "Kursi sudah penuh dan daftar tunggu tidak aktif. Naikkan kapasitas terlebih dahulu."
    )


class WalkInAlreadyConfirmedError(RegistrationError):
    code = "walk_in_already_confirmed"
    message = _l("Peserta dengan email ini sudah terdaftar di loka latih ini.")


class WalkInErasedAccountError(RegistrationError):
    code = "walk_in_erased_account"
    message = _l("Akun dengan email ini sudah dihapus dan tidak dapat didaftarkan.")


class NotFoundHereError(RegistrationError):
    """A selected id that is not a registration of this workshop (any more)."""

    code = "not_found"
    message = _l("Pendaftaran tidak ditemukan di loka latih ini.")
