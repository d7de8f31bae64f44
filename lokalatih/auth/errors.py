"""Why a sign-up, sign-in, link, password or two-step action was refused: each error has a code and
a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError, RecordedFailure

# Accounts, links and passwords


class InvalidEmailError(LokalatihError):
    code = "invalid_email"
    message = _l("Alamat email tidak valid.")


class WeakPasswordError(LokalatihError):
    code = "weak_password"
    message = _l("Sandi ini tidak memenuhi syarat.")


class InvalidCredentialsError(RecordedFailure):
    code = "invalid_credentials"
    message = _l("Email atau sandi salah.")


class AccountLockedError(RecordedFailure):
    """The account is locked for the client that failed. Answered exactly like a wrong password:
    saying "locked" would confirm the account exists and tell an attacker the lock worked."""

    code = "account_locked"
    message = InvalidCredentialsError.message

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__()


class EmailNotVerifiedError(RecordedFailure):
    code = "email_not_verified"
    message = _l(
        "Email Anda belum diverifikasi. Buka tautan di email verifikasi dari kami, "
        "atau minta email verifikasi baru."
    )


class InvalidLinkError(LokalatihError):
    code = "invalid_link"
    message = _l(
        "Tautan ini tidak sah. Pastikan Anda membuka seluruh tautan persis seperti di email."
    )


class VerifyLinkExpiredError(LokalatihError):
    code = "verify_link_expired"
    message = _l("Tautan verifikasi ini sudah kedaluwarsa. Minta email verifikasi baru di bawah.")


class AlreadyVerifiedError(LokalatihError):
    code = "already_verified"
    message = _l("Email Anda sudah terverifikasi. Silakan masuk.")


class ResetLinkExpiredError(LokalatihError):
    code = "reset_link_expired"
    message = _l("Tautan atur ulang sandi ini sudah kedaluwarsa. Minta tautan baru.")


class InvitationExpiredError(LokalatihError):
    code = "invitation_expired"
    message = _l(
        "Undangan ini sudah kedaluwarsa. Minta admin mengirim ulang undangan, atau minta tautan "
        "atur ulang sandi dengan alamat email Anda."
    )


class InvitationUsedError(LokalatihError):
    code = "invitation_used"
    message = _l("Undangan ini sudah dipakai: sandi akun sudah dibuat. Silakan masuk.")


class ResetLinkUsedError(LokalatihError):
    code = "reset_link_used"
    message = _l(
        "Tautan atur ulang sandi ini sudah dipakai atau tidak berlaku lagi. "
        "Minta tautan baru jika Anda masih perlu mengatur ulang sandi."
    )


class WrongPasswordError(RecordedFailure):
    code = "wrong_password"
    message = _l("Sandi saat ini salah.")


class SamePasswordError(LokalatihError):
    code = "same_password"
    message = _l("Sandi baru harus berbeda dari sandi saat ini.")


# Two-step verification


class WrongCodeError(RecordedFailure):
    code = "wrong_two_factor_code"
    message = _l(
        "Kode salah atau sudah dipakai. Periksa jam di ponsel Anda, lalu masukkan kode yang "
        "sedang tampil di aplikasi autentikator, atau salah satu kode pemulihan."
    )


class SetupExpiredError(LokalatihError):
    code = "two_factor_setup_expired"
    message = _l(
        "Penyiapan ini sudah kedaluwarsa. Tambahkan kembali akun di aplikasi Anda dengan kode QR "
        "yang baru di bawah ini."
    )


class AlreadyEnabledError(LokalatihError):
    code = "two_factor_already_enabled"
    message = _l("Verifikasi dua langkah sudah aktif untuk akun ini.")


class NotEnabledError(LokalatihError):
    code = "two_factor_not_enabled"
    message = _l("Verifikasi dua langkah belum aktif untuk akun ini.")
