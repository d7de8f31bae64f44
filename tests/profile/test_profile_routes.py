import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Gender, InstitutionType, Profile

FULL_PROFILE = {
    "full_name": "Dr. Siti Rahmawati, S.H., M.H.",
    "gender": "female",
    "institution_type": "local_government",
    "institution_name": "Dinas Sosial Kota Palu",
    "position": "Analis Kebijakan",
    "phone": "0812-3456-7890",
    "province_code": "72",
    "regency_code": "72.71",
    "save": "1",
}


def saved_profile(db, user) -> Profile | None:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def test_profile_page_needs_a_login(client):
    response = client.get("/profil")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_profile_page_shows_account_email_role_and_consent_status(
    client, participant, consent_version
):
    page = client.get("/profil").get_data(as_text=True)

    assert participant.email in page
    assert "Peserta" in page
    assert "Belum disetujui" in page
    assert 'href="/persetujuan"' in page


def test_saving_a_full_profile_makes_it_complete(client, db, participant):
    response = client.post("/profil", data=FULL_PROFILE)

    assert response.status_code == 302
    profile = saved_profile(db, participant)
    assert profile.is_complete
    assert profile.full_name == "Dr. Siti Rahmawati, S.H., M.H."
    assert profile.gender == Gender.FEMALE
    assert profile.institution_type == InstitutionType.LOCAL_GOVERNMENT
    assert profile.phone == "+6281234567890"
    assert (profile.province_code, profile.regency_code) == ("72", "72.71")
    page = client.get("/profil").get_data(as_text=True)
    assert "Profil lengkap" in page
    assert "Profil belum lengkap" not in page


def test_a_partial_profile_is_saved_and_shown_incomplete_with_what_is_missing(
    client, db, participant
):
    response = client.post(
        "/profil", data={"full_name": "Siti Rahmawati", "phone": "081234567890", "save": "1"}
    )

    assert response.status_code == 302
    profile = saved_profile(db, participant)
    assert profile.full_name == "Siti Rahmawati"
    assert not profile.is_complete
    assert "gender" in profile.missing_fields
    page = client.get("/profil", follow_redirects=True).get_data(as_text=True)
    assert "Profil belum lengkap" in page
    assert "Jenis kelamin" in page.split("Belum diisi:")[1].split("</dd>")[0]
    assert "Kabupaten/kota" in page.split("Belum diisi:")[1].split("</dd>")[0]
    assert "Nama untuk sertifikat," not in page.split("Belum diisi:")[1].split("</dd>")[0]


def test_saved_values_are_shown_in_the_form(client, participant):
    client.post("/profil", data=FULL_PROFILE)

    page = client.get("/profil").get_data(as_text=True)

    assert 'value="Dr. Siti Rahmawati, S.H., M.H."' in page
    assert 'value="+6281234567890"' in page
    assert '<option selected value="female">Perempuan</option>' in page
    assert '<option selected value="local_government">' in page
    assert '<option selected value="72.71">Kota Palu</option>' in page
    assert "Kota Jakarta Selatan" not in page


def test_an_invalid_phone_number_is_explained_and_the_other_values_kept(client, db, participant):
    response = client.post("/profil", data={**FULL_PROFILE, "phone": "+1 202 555 0147"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Gunakan nomor telepon Indonesia (kode negara +62)." in page
    assert 'value="+1 202 555 0147"' in page
    assert 'value="Dinas Sosial Kota Palu"' in page
    assert saved_profile(db, participant) is None


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("0812-ABCD-7890", "Nomor telepon tidak valid."),
        ("0812", "Nomor telepon harus terdiri dari 7 sampai 12 angka setelah +62."),
    ],
)
def test_phone_with_letters_or_too_short_is_refused(client, participant, phone, message):
    response = client.post("/profil", data={**FULL_PROFILE, "phone": phone})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("S" * 151, "Nama harus terdiri dari 3 sampai 150 karakter."),
        ("S" * 10_000, "Nama harus terdiri dari 3 sampai 150 karakter."),
        ("<script>alert(1)</script>", "Nama hanya boleh berisi huruf"),
    ],
)
def test_a_bad_certificate_name_is_refused_with_a_message(client, db, participant, name, message):
    response = client.post("/profil", data={**FULL_PROFILE, "full_name": name})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert saved_profile(db, participant) is None


def test_a_refused_name_with_markup_is_shown_back_escaped(client, participant):
    response = client.post("/profil", data={**FULL_PROFILE, "full_name": "<script>x()</script>"})

    page = response.get_data(as_text=True)
    assert "<script>x()" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_an_empty_name_is_saved_as_missing(client, db, participant):
    response = client.post("/profil", data={**FULL_PROFILE, "full_name": "   "})

    assert response.status_code == 302
    profile = saved_profile(db, participant)
    assert profile.full_name is None
    assert profile.missing_fields == ["full_name"]


def test_markup_in_free_text_is_stored_as_text_and_rendered_escaped(client, db, participant):
    markup = '<script>alert("x")</script> & Co'

    response = client.post("/profil", data={**FULL_PROFILE, "institution_name": markup})

    assert response.status_code == 302
    assert saved_profile(db, participant).institution_name == markup
    page = client.get("/profil").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page


def test_a_regency_from_another_province_is_refused_and_the_values_kept(client, db, participant):
    response = client.post(
        "/profil", data={**FULL_PROFILE, "province_code": "31", "regency_code": "72.71"}
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Kabupaten/kota tidak berada di provinsi yang dipilih." in page
    assert 'id="regency_code-error"' in page
    assert 'value="Dr. Siti Rahmawati, S.H., M.H."' in page
    assert 'value="+6281234567890"' in page
    assert '<option selected value="31">' in page
    assert "Kota Jakarta Selatan" in page
    assert saved_profile(db, participant) is None


def test_a_regency_without_a_province_is_refused(client, participant):
    response = client.post(
        "/profil", data={**FULL_PROFILE, "province_code": "", "regency_code": "72.71"}
    )

    assert response.status_code == 400
    assert "Pilih provinsi terlebih dahulu." in response.get_data(as_text=True)


def test_showing_regencies_without_javascript_rerenders_without_saving_or_errors(
    client, db, participant
):
    response = client.post(
        "/profil",
        data={
            "full_name": "Siti Rahmawati",
            "phone": "nomor salah",
            "province_code": "31",
            "regency_code": "72.71",
            "choose_province": "1",
        },
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<option value="31.74">Kota Jakarta Selatan</option>' in page
    assert ">Kota Palu<" not in page
    assert 'value="nomor salah"' in page
    assert 'class="error"' not in page
    assert "Profil belum disimpan" in page
    assert saved_profile(db, participant) is None


def test_without_a_province_the_regency_list_is_empty(client, participant):
    page = client.get("/profil").get_data(as_text=True)

    regency_select = page.split('id="regency_code"')[1].split("</select>")[0]
    assert regency_select.count("<option") == 1
    assert "Pilih provinsi terlebih dahulu" in regency_select


def test_saving_twice_records_one_audit_event(client, db, participant):
    client.post("/profil", data=FULL_PROFILE)
    client.post("/profil", data=FULL_PROFILE)

    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "profile_updated")
    ).all()
    assert len(events) == 1
    assert "phone" in events[0].details["fields"]
    assert "+6281234567890" not in str(events[0].details)


@pytest.mark.parametrize(
    "changes",
    [
        {"gender": "other"},
        {"institution_type": "ngo"},
        {"province_code": "99"},
        {"province_code": "31.74"},
        {"regency_code": "99.99"},
        {"regency_code": "x" * 5000},
        {"gender": ["female", "male"], "province_code": ["31", "72"]},
        {"institution_name": "Dinas " * 2000},
        {"phone": "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"},
    ],
)
def test_bad_input_gives_a_form_error_never_a_server_error(client, db, participant, changes):
    response = client.post("/profil", data={**FULL_PROFILE, **changes})

    assert response.status_code == 400
    assert "Periksa kembali isian yang ditandai." in response.get_data(as_text=True)
    assert saved_profile(db, participant) is None


@pytest.mark.parametrize(
    "changes", [{"position": "Kepala\x00Bidang"}, {"full_name": "Siti\x00Rahma"}]
)
def test_a_nul_byte_is_refused_before_anything_is_saved(client, db, participant, changes):
    response = client.post("/profil", data={**FULL_PROFILE, **changes})

    assert response.status_code == 400
    assert saved_profile(db, participant) is None


def test_regency_list_endpoint_returns_one_provinces_regencies(client):
    response = client.get("/wilayah/31/kabupaten.json")

    assert response.status_code == 200
    regencies = response.get_json()
    assert len(regencies) == 6
    assert {"code": "31.74", "name": "Kota Jakarta Selatan"} in regencies
    assert response.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize("code", ["99", "31.74", "abc"])
def test_regency_list_endpoint_is_404_for_an_unknown_province(client, code):
    response = client.get(f"/wilayah/{code}/kabupaten.json")

    assert response.status_code == 404
