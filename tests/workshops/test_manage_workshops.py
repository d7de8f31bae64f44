import re
from datetime import date

import pytest
import sqlalchemy as sa

from lokalatih.models import (
    AuditEvent,
    Registration,
    RegistrationStatus,
    Role,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests.workshops.workshop_helpers import utc, workshop_form


def _workshop(db, slug: str) -> Workshop:
    db.session.expire_all()
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


def test_organizer_creates_a_draft_with_normalised_values(db, client, login_as, organizer):
    login_as(organizer)

    response = client.post("/kelola/baru", data=workshop_form())

    slug = "loka-latih-kabupaten-kota-ham-bagi-pemerintah-daerah"
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kelola/{slug}"
    workshop = _workshop(db, slug)
    assert workshop.status == WorkshopStatus.DRAFT
    assert workshop.topic_tags == ["duham", "kkpham"]
    assert workshop.partners == "INFID, Komnas HAM"
    assert workshop.timezone == WorkshopTimezone.WITA
    assert workshop.province_code == "73"
    # 08:00 WITA is 00:00 UTC; 17:00 WITA is 09:00 UTC.
    assert workshop.registration_opens_at == utc(2030, 11, 1, 0)
    assert workshop.registration_closes_at == utc(2030, 12, 6, 9)
    assert workshop.waitlist_enabled is True
    assert workshop.requires_approval is False
    assert [user.id for user in workshop.organizers] == [organizer.id]
    created = sa.select(AuditEvent).where(AuditEvent.action == "workshop_created")
    assert db.session.scalar(created).actor_id == organizer.id


def test_admin_who_creates_a_workshop_becomes_its_organizer(db, client, login_as, make_user):
    admin = make_user(role=Role.ADMIN)
    login_as(admin)

    client.post("/kelola/baru", data=workshop_form(title="Loka Latih Admin"))

    assert [user.id for user in _workshop(db, "loka-latih-admin").organizers] == [admin.id]


def test_same_title_gets_a_numbered_slug(db, client, login_as, organizer):
    login_as(organizer)

    for _ in range(3):
        client.post("/kelola/baru", data=workshop_form(title="Loka Latih HAM: Palu!"))

    slugs = db.session.scalars(sa.select(Workshop.slug).order_by(Workshop.id)).all()
    assert slugs == ["loka-latih-ham-palu", "loka-latih-ham-palu-2", "loka-latih-ham-palu-3"]


def test_slug_is_ascii_and_never_shadows_the_new_workshop_page(db, client, login_as, organizer):
    login_as(organizer)

    client.post(
        "/kelola/baru", data=workshop_form(title="Pelatihan Dasar Kesetaraan Gender — Édisi 2")
    )
    client.post("/kelola/baru", data=workshop_form(title="Baru"))

    slugs = db.session.scalars(sa.select(Workshop.slug).order_by(Workshop.id)).all()
    assert slugs == ["pelatihan-dasar-kesetaraan-gender-edisi-2", "baru-2"]


def test_create_form_is_in_indonesian_with_waitlist_on_by_default(client, login_as, organizer):
    login_as(organizer)

    page = client.get("/kelola/baru").get_data(as_text=True)

    assert "Loka latih baru" in page
    assert "WITA (Asia/Makassar)" in page
    assert re.search(r'<input checked[^>]*name="waitlist_enabled"', page)
    assert not re.search(r'<input checked[^>]*name="requires_approval"', page)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2030-12-06"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ({"mode": "offline", "venue": ""}, "Alamat tempat wajib diisi"),
        ({"meeting_url": "javascript:alert(1)"}, "diawali https:// atau http://"),
        ({"mode": "online", "meeting_url": ""}, "Tautan pertemuan wajib diisi"),
        ({"capacity": "0"}, "Kapasitas harus antara 1 dan 100.000 kursi."),
        ({"capacity": "abc"}, "Tulis kapasitas sebagai bilangan bulat"),
        ({"capacity": "100001"}, "Kapasitas harus antara 1 dan 100.000 kursi."),
        ({"title": "J" * 201}, "Paling panjang 200 karakter."),
        ({"title": "   "}, "Judul wajib diisi"),
        ({"topics": ",".join(f"topik {n}" for n in range(11))}, "Paling banyak 10 topik."),
        ({"topics": "t" * 61}, "Setiap topik paling panjang 60 karakter."),
        ({"registration_closes_at": "2030-10-01T08:00"}, "ditutup setelah waktu dibuka"),
        ({"registration_closes_at": "2030-12-09T08:00"}, "paling lambat pada tanggal selesai"),
        ({"province_code": "99"}, "Pilih salah satu pilihan yang tersedia."),
    ],
)
def test_invalid_workshop_is_refused_in_indonesian_keeping_the_values(
    db, client, login_as, organizer, overrides, message
):
    login_as(organizer)

    response = client.post("/kelola/baru", data=workshop_form(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Periksa kembali isian yang ditandai." in page
    assert "Aula Kantor Wilayah Sulawesi Selatan, Makassar" in page or overrides.get("venue") == ""
    assert "Pelatihan HAM bagi aparatur pemerintah daerah" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)) == 0


def test_title_whitespace_is_tidied(db, client, login_as, organizer):
    login_as(organizer)

    client.post("/kelola/baru", data=workshop_form(title="  Loka   Latih  HAM  "))

    assert _workshop(db, "loka-latih-ham").title == "Loka Latih HAM"


def test_edit_form_shows_stored_times_in_the_workshop_zone(client, login_as, make_workshop):
    workshop = make_workshop(
        timezone=WorkshopTimezone.WITA,
        registration_closes_at=utc(2030, 12, 6, 9),
        topics=("kkpham", "duham"),
    )
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/ubah").get_data(as_text=True)

    assert 'value="2030-12-06T17:00"' in page
    assert 'value="duham, kkpham"' in page


def test_editing_a_draft_title_changes_its_slug(db, client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.DRAFT)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah", data=workshop_form(title="Judul Baru", capacity="30")
    )

    assert response.headers["Location"] == "/kelola/judul-baru"


def test_editing_a_published_title_keeps_its_slug(db, client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED)
    slug = workshop.slug
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{slug}/ubah", data=workshop_form(title="Judul Baru", topics="ham", capacity="30")
    )

    assert response.headers["Location"] == f"/kelola/{slug}"
    edited = _workshop(db, slug)
    assert edited.title == "Judul Baru"
    assert edited.topic_tags == ["ham"]


def test_edit_refuses_dates_that_leave_a_session_outside(db, client, login_as, make_workshop):
    workshop = make_workshop(start_date=date(2030, 12, 7), end_date=date(2030, 12, 8))
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah",
        data=workshop_form(start_date="2030-12-08", timezone="WIB", capacity="30"),
    )

    assert response.status_code == 400
    assert "Ada sesi di luar rentang tanggal ini." in response.get_data(as_text=True)
    assert _workshop(db, workshop.slug).start_date == date(2030, 12, 7)


def test_lowering_capacity_below_confirmed_is_refused(
    db, client, login_as, make_workshop, register
):
    workshop = make_workshop(capacity=3)
    for _ in range(3):
        register(workshop, RegistrationStatus.CONFIRMED)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah", data=workshop_form(capacity="2", timezone="WIB")
    )

    assert response.status_code == 400
    assert "peserta terkonfirmasi (3)" in response.get_data(as_text=True)
    assert _workshop(db, workshop.slug).capacity == 3


def test_raising_capacity_promotes_from_the_waitlist(db, client, login_as, make_workshop, register):
    workshop = make_workshop(capacity=1)
    register(workshop, RegistrationStatus.CONFIRMED, complete_profile=True)
    waiting = register(workshop, RegistrationStatus.WAITLISTED, complete_profile=True)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah", data=workshop_form(capacity="2", timezone="WIB")
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).status == RegistrationStatus.CONFIRMED


def test_co_organizer_is_added_by_email(db, client, login_as, make_workshop, make_user):
    workshop = make_workshop()
    colleague = make_user("rekan@contoh.id", role=Role.ORGANIZER)
    login_as(workshop.organizers[0])

    client.post(
        f"/kelola/{workshop.slug}/ubah",
        data=workshop_form(co_organizer_email="REKAN@contoh.id", timezone="WIB", capacity="30"),
    )

    assert colleague.id in [user.id for user in _workshop(db, workshop.slug).organizers]


def test_a_participant_cannot_be_added_as_co_organizer_and_the_answer_reveals_no_account(
    db, client, login_as, make_workshop, make_user
):
    workshop = make_workshop()
    make_user("peserta-biasa@contoh.id")
    login_as(workshop.organizers[0])

    def error_for(email: str) -> str:
        response = client.post(
            f"/kelola/{workshop.slug}/ubah",
            data=workshop_form(co_organizer_email=email, timezone="WIB"),
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        return re.search(r"Tidak ada penyelenggara dengan email ini[^<]*", page).group(0)

    # A participant's address and an address without any account get the same answer.
    assert error_for("peserta-biasa@contoh.id") == error_for("tidak-ada@contoh.id")
    assert len(_workshop(db, workshop.slug).organizers) == 1


def test_the_co_organizer_lookup_is_rate_limited_per_user(make_app, make_workshop, db):
    from tests.support import login

    app = make_app(RATELIMIT_ENABLED=True, WORKSHOP_EDIT_RATE_LIMIT="3 per hour")
    workshop = make_workshop()
    client = app.test_client()
    login(client, workshop.organizers[0])
    statuses = [
        client.post(
            f"/kelola/{workshop.slug}/ubah",
            data=workshop_form(co_organizer_email=f"coba{n}@contoh.id", timezone="WIB"),
        ).status_code
        for n in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_manage_page_offers_only_allowed_transitions(client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.REGISTRATION_CLOSED)
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)

    assert "Buka kembali pendaftaran" in page
    assert "Tandai sedang berlangsung" in page
    assert "Batalkan loka latih" in page
    assert "Tandai selesai" not in page
    assert f'href="/kelola/{workshop.slug}/pendaftar"' in page


def test_manage_list_shows_only_my_workshops_with_counts(
    client, login_as, make_workshop, make_user, register
):
    mine = make_workshop(title="Loka Latih Saya")
    other = make_user(role=Role.ORGANIZER)
    make_workshop(title="Loka Latih Orang Lain", organizers=[other])
    register(mine, RegistrationStatus.WAITLISTED)
    login_as(mine.organizers[0])

    page = client.get("/kelola").get_data(as_text=True)

    assert "Loka Latih Saya" in page
    assert "Loka Latih Orang Lain" not in page
    assert "0 / 30" in page


def test_status_change_through_the_page(db, client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.DRAFT)
    login_as(workshop.organizers[0])

    response = client.post(f"/kelola/{workshop.slug}/status", data={"to": "published"})

    assert response.status_code == 302
    assert _workshop(db, workshop.slug).status == WorkshopStatus.PUBLISHED


def test_wrong_status_change_through_the_page_shows_the_message(
    db, client, login_as, make_workshop
):
    workshop = make_workshop(status=WorkshopStatus.DRAFT)
    login_as(workshop.organizers[0])

    response = client.post(f"/kelola/{workshop.slug}/status", data={"to": "completed"})

    assert response.status_code == 400
    assert "Status tidak dapat diubah dari Draf ke Selesai." in response.get_data(as_text=True)
    assert _workshop(db, workshop.slug).status == WorkshopStatus.DRAFT


def test_completing_during_the_last_session_through_the_page_asks_for_a_reason(
    db, client, login_as, make_workshop, clock
):
    workshop = make_workshop(status=WorkshopStatus.RUNNING)  # session 7 Dec 2030, 02:00-03:00 UTC
    clock.set(utc(2030, 12, 7, 2, 30))
    login_as(workshop.organizers[0])
    url = f"/kelola/{workshop.slug}/status"

    manage_page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)
    refused = client.post(url, data={"to": "completed", "override_reason": ""})
    accepted = client.post(
        url, data={"to": "completed", "override_reason": "Sesi terakhir dibatalkan narasumber."}
    )

    assert 'name="override_reason"' in manage_page
    assert refused.status_code == 400
    assert "Sesi terakhir belum berakhir (berakhir" in refused.get_data(as_text=True)
    assert accepted.status_code == 302
    assert _workshop(db, workshop.slug).status == WorkshopStatus.COMPLETED


def test_the_reason_field_is_not_shown_once_the_last_session_has_ended(
    client, login_as, make_workshop, clock
):
    workshop = make_workshop(status=WorkshopStatus.RUNNING)
    clock.set(utc(2030, 12, 7, 3, 1))
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)

    assert 'name="override_reason"' not in page
    assert 'value="completed"' in page


def test_cancel_without_reason_through_the_page_is_refused(db, client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/status", data={"to": "cancelled", "reason": ""}
    )

    assert response.status_code == 400
    assert "Tuliskan alasan pembatalan" in response.get_data(as_text=True)
    assert _workshop(db, workshop.slug).status == WorkshopStatus.PUBLISHED


def test_offline_workshop_needs_no_meeting_link(db, client, login_as, organizer):
    login_as(organizer)

    response = client.post(
        "/kelola/baru",
        data=workshop_form(title="Luring", mode="offline", meeting_url="", province_code=""),
    )

    assert response.status_code == 302
    workshop = _workshop(db, "luring")
    assert workshop.mode == WorkshopMode.OFFLINE
    assert workshop.meeting_url is None
    assert workshop.province_code is None


def test_a_cancelled_workshop_can_no_longer_be_edited(db, client, login_as, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.CANCELLED, cancel_reason="Banjir.")
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah", data=workshop_form(title="Baru lagi", timezone="WIB")
    )
    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)

    assert response.status_code == 400
    assert "tidak dapat diubah" in response.get_data(as_text=True)
    assert _workshop(db, workshop.slug).title != "Baru lagi"
    assert "Tambah sesi" not in page


def test_unknown_co_organizer_email_is_refused_on_its_field(client, login_as, make_workshop):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/ubah",
        data=workshop_form(co_organizer_email="tidak-ada@contoh.id", timezone="WIB"),
    )

    assert response.status_code == 400
    assert 'id="co_organizer_email-error"' in response.get_data(as_text=True)


def test_empty_registration_window_fields_as_a_browser_sends_them_are_accepted(
    db, client, login_as, organizer
):
    login_as(organizer)

    response = client.post(
        "/kelola/baru",
        data=workshop_form(registration_opens_at="", registration_closes_at=""),
    )

    assert response.status_code == 302
    workshop = _workshop(db, response.headers["Location"].rsplit("/", 1)[1])
    assert workshop.registration_opens_at is None
    assert workshop.registration_closes_at is None


def test_topics_are_shown_again_as_typed_when_the_form_has_an_error(client, login_as, organizer):
    login_as(organizer)

    response = client.post(
        "/kelola/baru", data=workshop_form(topics="kkpham, duham", capacity="banyak")
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="kkpham, duham"' in page
    assert "[" not in re.search(r'id="topics"[^>]*>', page).group(0)
