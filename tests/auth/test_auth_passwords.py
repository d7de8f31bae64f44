from lokalatih.auth.passwords import common_passwords, password_problems
from tests.auth.auth_helpers import STRONG_PASSWORD


def test_a_long_uncommon_password_has_no_problems(app):
    assert password_problems(STRONG_PASSWORD, "siti@contoh.id") == []


def test_a_password_under_eight_characters_is_refused(app):
    assert password_problems("Ab3$xyz", "siti@contoh.id") == ["Sandi minimal 8 karakter."]


def test_a_password_over_128_characters_is_refused(app):
    assert password_problems("x" * 129, "siti@contoh.id") == ["Sandi maksimal 128 karakter."]


def test_exactly_128_characters_is_allowed(app):
    assert password_problems("Kopi Toraja " * 10 + "12345678", "siti@contoh.id") == []


def test_common_passwords_are_refused_whatever_their_case(app):
    for password in ["password", "PASSWORD1", "Merdeka45", "BISMILLAH", "sayang123", "rahasia123"]:
        problems = password_problems(password, "siti@contoh.id")

        assert any("terlalu umum" in problem for problem in problems), password


def test_a_password_containing_the_email_local_part_is_refused(app):
    problems = password_problems("RahmawatiKuat!2026", "rahmawati@contoh.id")

    assert problems == ["Sandi tidak boleh memuat bagian awal alamat email Anda."]


def test_a_very_short_local_part_is_not_held_against_the_password(app):
    assert password_problems("Lereng Merapi di pagi hari", "a@contoh.id") == []


def test_the_shipped_list_is_large_lowercase_and_loaded_once(app):
    passwords = common_passwords()

    assert len(passwords) > 9000
    assert {"indonesia", "merdeka45", "bismillah", "sayang123", "rahasia123"} <= passwords
    assert all(p == p.lower() for p in passwords)
    assert common_passwords() is passwords
