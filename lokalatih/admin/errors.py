"""Why a back-office action was refused (users and roles, staff accounts, KKPHAM themes): each
error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError

# Users and roles


class CannotDemoteSelfError(LokalatihError):
    code = "cannot_demote_self"
    message = _l(
        "Anda tidak dapat mencabut peran admin Anda sendiri. Minta admin lain melakukannya."
    )


class RoleUnchangedError(LokalatihError):
    code = "role_unchanged"
    message = _l("Peran pengguna ini tidak berubah.")


class DuplicateEmailError(LokalatihError):
    code = "duplicate_email"
    message = _l("Alamat email ini sudah terdaftar.")
    field = "email"


class UserNotFoundError(LokalatihError):
    code = "user_not_found"
    message = _l("Pengguna dengan email ini tidak ditemukan.")


class WeakPasswordError(LokalatihError):
    code = "weak_password"
    message = _l("Kata sandi tidak memenuhi syarat.")

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(str(problem) for problem in problems) or None)
        self.problems = problems


# Staff accounts


class NotStaffRoleError(LokalatihError):
    code = "not_staff_role"
    message = _l("Pilih peran staf: penyelenggara, peninjau, atau admin.")
    field = "role"


class StaffNameMissingError(LokalatihError):
    code = "staff_name_missing"
    message = _l("Nama wajib diisi.")
    field = "name"


class AlreadyVerifiedError(LokalatihError):
    code = "already_verified_by_admin"
    message = _l("Email pengguna ini sudah terverifikasi; tidak ada yang perlu dikirim ulang.")


class AccountErasedError(LokalatihError):
    code = "account_erased"
    message = _l("Akun ini sudah dihapus; tidak ada alamat untuk dikirimi email.")


class ResendTooSoonError(LokalatihError):
    code = "resend_too_soon"

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            _l(
                "Email untuk pengguna ini baru saja dikirim. Anda dapat mengirim ulang "
                "dalam %(minutes)s menit.",
                minutes=minutes,
            )
        )


# KKPHAM themes


class ThemeError(LokalatihError):
    code = "theme"


class ThemeCodeTakenError(ThemeError):
    code = "theme_code_taken"
    message = _l("Kode ini sudah dipakai tema lain.")
    field = "code"


class ThemeNotFoundError(ThemeError):
    code = "theme_not_found"
    message = _l("Tema tidak ditemukan.")
