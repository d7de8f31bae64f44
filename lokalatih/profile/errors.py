"""Why a profile was refused: each error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class ProfileError(LokalatihError):
    code = "profile_error"
    field = "full_name"


class InvalidNameError(ProfileError):
    code = "invalid_name"
    message = _l(
        "Nama hanya boleh berisi huruf, spasi, tanda petik ('), titik, koma, dan tanda hubung."
    )


class NameLengthError(ProfileError):
    code = "name_length"
    message = _l("Nama harus terdiri dari 3 sampai 150 karakter.")


class InvalidTextError(ProfileError):
    code = "invalid_text"
    message = _l("Isian mengandung karakter yang tidak diizinkan.")


class InvalidPhoneError(ProfileError):
    code = "invalid_phone"
    field = "phone"
    message = _l(
        "Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 0812-3456-7890 atau "
        "+62 812 3456 7890."
    )


class ForeignPhoneError(InvalidPhoneError):
    code = "foreign_phone"
    message = _l("Gunakan nomor telepon Indonesia (kode negara +62).")


class PhoneLengthError(InvalidPhoneError):
    code = "phone_length"
    message = _l("Nomor telepon harus terdiri dari 7 sampai 12 angka setelah +62.")


class UnknownRegionError(ProfileError):
    code = "unknown_region"
    field = "regency_code"
    message = _l("Pilih kabupaten/kota dari daftar.")


class UnknownProvinceError(ProfileError):
    code = "unknown_province"
    field = "province_code"
    message = _l("Pilih provinsi dari daftar.")


class RegencyWithoutProvinceError(ProfileError):
    code = "regency_without_province"
    field = "regency_code"
    message = _l("Pilih provinsi terlebih dahulu.")


class RegencyNotInProvinceError(ProfileError):
    code = "regency_not_in_province"
    field = "regency_code"
    message = _l("Kabupaten/kota tidak berada di provinsi yang dipilih.")
