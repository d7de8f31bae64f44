"""The participant's profile: certificate name, institution, phone and region, saved partially."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l

from ..audit import record_event
from ..extensions import db
from ..models import Gender, InstitutionType, Profile, Region, RegionLevel, User
from .errors import (
    ForeignPhoneError,
    InvalidNameError,
    InvalidPhoneError,
    InvalidTextError,
    NameLengthError,
    PhoneLengthError,
    RegencyNotInProvinceError,
    RegencyWithoutProvinceError,
    UnknownProvinceError,
    UnknownRegionError,
)

NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 150
INSTITUTION_NAME_MAX_LENGTH = 200
POSITION_MAX_LENGTH = 150

# Labels of `Profile.REQUIRED_FIELDS`, for the "still missing" list.
FIELD_LABELS = {
    "full_name": _l("Nama untuk sertifikat"),
    "gender": _l("Jenis kelamin"),
    "institution_type": _l("Jenis instansi"),
    "institution_name": _l("Nama instansi"),
    "position": _l("Jabatan"),
    "phone": _l("Nomor telepon"),
    "province_code": _l("Provinsi"),
    "regency_code": _l("Kabupaten/kota"),
}

# Letters of any script, spaces, apostrophes (straight or curly), periods, commas and hyphens:
# "Dr. Siti Rahmawati, S.H., M.H." or "Ma'ruf Amin" pass, digits and markup do not.
_NAME_PUNCTUATION = frozenset(" '’.,-")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")


@dataclass(frozen=True)
class ProfileData:
    """The values a user saves; None means "not filled in yet"."""

    full_name: str | None = None
    gender: Gender | None = None
    institution_type: InstitutionType | None = None
    institution_name: str | None = None
    position: str | None = None
    phone: str | None = None
    province_code: str | None = None
    regency_code: str | None = None


def clean_full_name(raw: str | None) -> str | None:
    """The certificate name, NFC-normalised with single spaces; None when left empty."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not name:
        return None
    if not NAME_MIN_LENGTH <= len(name) <= NAME_MAX_LENGTH:
        raise NameLengthError()
    if any(not (ch.isalpha() or ch in _NAME_PUNCTUATION) for ch in name):
        raise InvalidNameError()
    if sum(ch.isalpha() for ch in name) < 2:
        raise InvalidNameError()
    return name


def clean_text(raw: str | None) -> str | None:
    """A one-line free text (institution, position): trimmed, no control characters."""
    text = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") for ch in text):
        raise InvalidTextError()
    return text or None


def normalize_phone(raw: str | None) -> str | None:
    """'0812-3456-7890', '62812…' or '+62 812 …' -> '+6281234567890'; None when left empty.

    After +62 comes the area or mobile prefix (2–9, never 0 or 1) and 7 to 12 digits in all.
    """
    compact = _PHONE_SEPARATORS.sub("", raw or "")
    if not compact:
        return None
    if compact.startswith("+"):
        if not compact.startswith("+62"):
            raise ForeignPhoneError()
        national = compact[3:]
    elif compact.startswith("62"):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        raise InvalidPhoneError()
    if not national.isascii() or not national.isdigit():
        raise InvalidPhoneError()
    if national.startswith("0"):  # "+62 (0)812…": the trunk zero written after the country code
        national = national[1:]
    if not national or national[0] not in "23456789":
        raise InvalidPhoneError()
    if not 7 <= len(national) <= 12:
        raise PhoneLengthError()
    return f"+62{national}"


def get_province(code: str | None) -> Region | None:
    region = db.session.get(Region, code) if code else None
    return region if region is not None and region.level == RegionLevel.PROVINCE else None


def get_regency(code: str | None) -> Region | None:
    region = db.session.get(Region, code) if code else None
    return region if region is not None and region.level != RegionLevel.PROVINCE else None


def check_region(province_code: str | None, regency_code: str | None) -> None:
    """Raise unless the province exists and the kabupaten/kota, if any, lies inside it."""
    if province_code and get_province(province_code) is None:
        raise UnknownProvinceError()
    if not regency_code:
        return
    regency = get_regency(regency_code)
    if regency is None:
        raise UnknownRegionError()
    if not province_code:
        raise RegencyWithoutProvinceError()
    if regency.parent_code != province_code:
        raise RegencyNotInProvinceError()


def missing_fields(user: User) -> list[str]:
    """Names of the required profile fields the user has not filled in yet."""
    if user.profile is None:
        return list(Profile.REQUIRED_FIELDS)
    return user.profile.missing_fields


def update_profile(user: User, data: ProfileData, *, ip: str | None = None) -> Profile:
    """Save what the user filled in, complete or not; the region must be consistent."""
    check_region(data.province_code, data.regency_code)
    profile = user.profile
    if profile is None:
        profile = Profile(user=user)
        db.session.add(profile)
    changed = []
    for item in fields(ProfileData):
        value = getattr(data, item.name)
        if getattr(profile, item.name) != value:
            setattr(profile, item.name, value)
            changed.append(item.name)
    db.session.flush()
    if changed:
        # Field names only: the audit log must not become a second copy of personal data.
        record_event(
            "profile_updated", actor=user, target=profile, details={"fields": changed}, ip=ip
        )
    return profile
