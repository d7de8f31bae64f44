"""Why a certificate action was refused (issuing, revoking, branding images, signing): each error
has a code and a message for the user."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError

# Issuing and revoking


class CertificateError(LokalatihError):
    code = "certificate_error"
    message = _l("Sertifikat tidak dapat diproses.")


class NotEligibleError(CertificateError):
    code = "certificate_not_eligible"
    message = _l("Peserta ini belum memenuhi syarat sertifikat.")

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(
            _(
                "Peserta ini belum memenuhi syarat sertifikat: %(reasons)s.",
                reasons="; ".join(reasons),
            )
        )
        self.reasons = reasons


class NotConfirmedError(CertificateError):
    code = "certificate_not_confirmed"
    message = _l("Sertifikat hanya untuk peserta yang pendaftarannya terkonfirmasi.")


class NameMissingError(CertificateError):
    code = "certificate_name_missing"
    message = _l(
        "Nama lengkap peserta pada profil belum diisi, jadi sertifikat belum dapat dibuat."
    )


class IssuingNotOpenError(CertificateError):
    code = "certificate_issuing_not_open"
    message = _l("Sertifikat baru dapat diterbitkan setelah loka latih mulai berjalan.")


class ReasonRequiredError(CertificateError):
    code = "certificate_reason_required"
    message = _l("Alasan wajib diisi.")


class AlreadyRevokedError(CertificateError):
    code = "certificate_already_revoked"
    message = _l("Sertifikat ini sudah dicabut.")


class NoValidCertificateError(CertificateError):
    code = "certificate_none_valid"
    message = _l("Peserta ini belum memiliki sertifikat yang berlaku.")


# Logos and signature images


class ImageRejectedError(CertificateError):
    code = "certificate_image_rejected"
    message = _l("Berkas gambar tidak dapat dipakai.")

    def __init__(self, message=None, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# Digital signatures


class SigningError(LokalatihError):
    code = "certificate_signing_error"
    message = _l("Sertifikat tidak dapat ditandatangani. Hubungi admin.")

    def __init__(self, detail: str | None = None) -> None:
        super().__init__()
        # For the operator (the log, the CLI): which setting to fix. Never a PIN or passphrase.
        self.detail = detail


class SigningNotConfiguredError(SigningError):
    code = "certificate_signing_not_configured"
    message = _l(
        "Sertifikat elektronik belum dapat ditandatangani: kunci penanda tangan belum diatur."
    )


class DemoKeyRefusedError(SigningError):
    code = "certificate_signing_demo_refused"
    message = _l("Kunci demo tidak boleh dipakai untuk menandatangani sertifikat di produksi.")


class TokenPinRefusedError(SigningError):
    code = "certificate_signing_pin_refused"


class PreviousCertificateError(SigningError):
    code = "certificate_signing_previous_unreadable"
    message = _l("Sertifikat penanda tangan sebelumnya tidak dapat dibaca. Hubungi admin.")


class NotAPdfError(LokalatihError):
    code = "certificate_upload_not_pdf"
    message = _l("Berkas ini bukan PDF yang dapat dibaca. Pilih berkas PDF sertifikat.")
    field = "berkas"
