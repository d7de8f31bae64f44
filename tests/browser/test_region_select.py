"""The province/regency choice in a real Chromium, with and without JavaScript."""

from __future__ import annotations

import pytest

from lokalatih.models import Profile

pytestmark = pytest.mark.browser


def saved_profile(db, user) -> Profile | None:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def test_changing_the_province_loads_its_regencies_with_javascript(
    signed_in_context, make_user, db
):
    user = make_user()
    page = signed_in_context(user).new_page()
    page.goto("/profil")

    assert page.get_by_role("button", name="Tampilkan kabupaten/kota").is_hidden()
    page.select_option("#province_code", "31")
    page.wait_for_selector('#regency_code option[value="31.74"]', state="attached")
    page.select_option("#regency_code", "31.74")
    page.fill("#full_name", "Siti Rahmawati")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_url("**/profil")

    profile = saved_profile(db, user)
    assert (profile.province_code, profile.regency_code) == ("31", "31.74")
    assert page.locator("#regency_code option").count() == 7  # placeholder and six regions


def test_choosing_the_province_works_without_javascript(signed_in_context, make_user, db):
    user = make_user()
    page = signed_in_context(user, java_script_enabled=False).new_page()
    page.goto("/profil")
    page.fill("#full_name", "Siti Rahmawati")

    page.select_option("#province_code", "72")
    page.get_by_role("button", name="Tampilkan kabupaten/kota").click()
    page.wait_for_selector('#regency_code option[value="72.71"]', state="attached")

    assert saved_profile(db, user) is None
    assert page.input_value("#full_name") == "Siti Rahmawati"
    page.select_option("#regency_code", "72.71")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_selector("text=Profil disimpan")
    assert saved_profile(db, user).regency_code == "72.71"


def test_pressing_enter_in_a_text_field_saves_the_profile(signed_in_context, make_user, db):
    user = make_user()
    page = signed_in_context(user, java_script_enabled=False).new_page()
    page.goto("/profil")

    page.fill("#full_name", "Siti Rahmawati")
    page.press("#full_name", "Enter")
    page.wait_for_selector("text=Profil disimpan")

    assert saved_profile(db, user).full_name == "Siti Rahmawati"
