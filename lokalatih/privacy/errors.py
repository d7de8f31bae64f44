"""Why a consent or an erasure was refused: each error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError

# Consent


class ConsentError(LokalatihError):
    code = "consent_error"


class NoConsentVersionError(ConsentError):
    code = "no_consent_version"
    message = _l("Belum ada teks persetujuan yang diterbitkan.")


class RequiredConsentMissingError(ConsentError):
    code = "required_consent_missing"
    message = _l("Persetujuan untuk tujuan wajib diperlukan untuk mengikuti loka latih.")


class OutdatedConsentVersionError(ConsentError):
    code = "outdated_consent_version"
    message = _l(
        "Teks persetujuan baru saja diperbarui. Baca versi terbaru lalu berikan persetujuan Anda."
    )


class EmptyConsentTextError(ConsentError):
    code = "empty_consent_text"
    message = _l("Teks persetujuan dalam Bahasa Indonesia dan Bahasa Inggris wajib diisi.")


class UnchangedConsentTextError(ConsentError):
    code = "unchanged_consent_text"
    message = _l("Teks sama dengan versi yang berlaku; tidak ada versi baru yang diterbitkan.")


# Account erasure


class ErasureError(LokalatihError):
    code = "erasure_error"
    message = _l("Akun tidak dapat dihapus.")


class StaffAccountError(ErasureError):
    code = "erasure_staff_account"
    message = _l(
        "Akun admin, penyelenggara, dan peninjau tidak dapat dihapus sendiri. Minta admin "
        "mengubah peran akun Anda menjadi peserta terlebih dahulu."
    )


class AlreadyErasedError(ErasureError):
    code = "erasure_already_erased"
    message = _l("Akun ini sudah dihapus.")
