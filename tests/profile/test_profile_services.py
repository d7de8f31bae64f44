import pytest
import sqlalchemy as sa

from lokalatih.models import Region, RegionLevel
from lokalatih.profile import services
from lokalatih.profile.errors import (
    ForeignPhoneError,
    InvalidNameError,
    InvalidPhoneError,
    NameLengthError,
    PhoneLengthError,
    RegencyNotInProvinceError,
    RegencyWithoutProvinceError,
    UnknownProvinceError,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("(021) 5550-1234", "+622155501234"),
        ("0411 123456", "+62411123456"),
        ("  ", None),
        ("", None),
    ],
)
def test_indonesian_phone_numbers_are_normalised_to_plus_62(raw, expected):
    assert services.normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("0812abc4567", InvalidPhoneError),
        ("telepon saya", InvalidPhoneError),
        ("0812", PhoneLengthError),
        ("+62 21 1234", PhoneLengthError),
        ("0812 3456 7890 1234", PhoneLengthError),
        ("+1 202 555 0147", ForeignPhoneError),
        ("+44 20 7946 0958", ForeignPhoneError),
        ("+62 112 3456 789", InvalidPhoneError),
        ("81234567890", InvalidPhoneError),
        ("０８１２３４５６７８９", InvalidPhoneError),
    ],
)
def test_phone_numbers_that_are_not_indonesian_are_refused(raw, error):
    with pytest.raises(error):
        services.normalize_phone(raw)


@pytest.mark.parametrize(
    "name",
    [
        "Dr. Siti Rahmawati, S.H., M.H.",
        "Ma'ruf Amin",
        "Ni Luh Putu Ayu Sri-Wahyuni",
        "Nguyễn Thị Hoa",
        "A’isyah",
        "Ida",
    ],
)
def test_certificate_names_with_titles_and_any_script_are_accepted(name):
    assert services.clean_full_name(name) == name


def test_certificate_name_spaces_are_tidied():
    assert services.clean_full_name("  Siti   Rahmawati ") == "Siti Rahmawati"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Agus 2", InvalidNameError),
        ("<script>alert(1)</script>", InvalidNameError),
        ("Siti_Rahma", InvalidNameError),
        ("...", InvalidNameError),
        ("Al", NameLengthError),
        ("a" * 151, NameLengthError),
    ],
)
def test_certificate_names_with_digits_markup_or_bad_length_are_refused(name, error):
    with pytest.raises(error):
        services.clean_full_name(name)


def test_the_official_region_list_is_in_the_database(db):
    provinces = db.session.scalar(
        sa.select(sa.func.count()).where(Region.level == RegionLevel.PROVINCE)
    )
    regencies = db.session.scalar(
        sa.select(sa.func.count()).where(Region.level != RegionLevel.PROVINCE)
    )

    assert provinces == 38
    assert regencies == 514
    assert db.session.get(Region, "31.74").name == "Kota Jakarta Selatan"


def test_region_check_refuses_a_regency_of_another_province(db):
    with pytest.raises(RegencyNotInProvinceError):
        services.check_region("31", "72.71")
    with pytest.raises(RegencyWithoutProvinceError):
        services.check_region(None, "31.74")
    with pytest.raises(UnknownProvinceError):
        services.check_region("31.74", None)

    services.check_region("72", "72.71")
