import re

import sqlalchemy as sa

from lokalatih.models import (
    Quota,
    QuotaKind,
    Registration,
    RegistrationStatus,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests.workshops.workshop_helpers import utc


def _titles(db, workshop) -> list[str]:
    db.session.expire_all()
    return [session.title for session in db.session.get(type(workshop), workshop.id).sessions]


def session_form(**overrides) -> dict:
    data = {
        "title": "Pengantar DUHAM",
        "speakers": "Komnas HAM, INFID",
        "starts_at": "2030-12-07T09:00",
        "ends_at": "2030-12-07T10:30",
        "place": "Ruang Melati",
    }
    data.update(overrides)
    return data


def test_new_session_goes_last_in_the_workshop_zone(db, client, login_as, make_workshop):
    workshop = make_workshop(timezone=WorkshopTimezone.WITA, sessions=2)
    login_as(workshop.organizers[0])

    response = client.post(f"/kelola/{workshop.slug}/sesi/baru", data=session_form())

    assert response.status_code == 302
    assert _titles(db, workshop) == ["Sesi 1", "Sesi 2", "Pengantar DUHAM"]
    added = db.session.scalar(sa.select(WorkshopSession).where(WorkshopSession.title.like("Peng%")))
    assert added.starts_at == utc(2030, 12, 7, 1, 0)  # 09.00 WITA
    assert added.ends_at == utc(2030, 12, 7, 2, 30)
    assert added.position == 3


def test_session_form_names_the_zone(client, login_as, make_workshop):
    workshop = make_workshop(timezone=WorkshopTimezone.WIT)
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/sesi/baru").get_data(as_text=True)

    assert "WIT (Asia/Jayapura)" in page


def test_session_ending_before_it_starts_is_refused(db, client, login_as, make_workshop):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/baru", data=session_form(ends_at="2030-12-07T08:00")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Waktu selesai harus setelah waktu mulai." in page
    assert 'value="Pengantar DUHAM"' in page
    assert _titles(db, workshop) == ["Sesi 1"]


def test_session_outside_the_workshop_dates_is_refused(db, client, login_as, make_workshop):
    workshop = make_workshop(timezone=WorkshopTimezone.WITA)  # 7–8 December 2030
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/baru",
        data=session_form(starts_at="2030-12-09T09:00", ends_at="2030-12-09T10:00"),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Sesi harus berlangsung dalam rentang tanggal loka latih" in page
    assert 'id="starts_at-error"' in page
    assert _titles(db, workshop) == ["Sesi 1"]


def test_session_ending_after_the_last_day_is_refused_on_the_end_field(
    client, login_as, make_workshop
):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/baru",
        data=session_form(starts_at="2030-12-08T23:00", ends_at="2030-12-09T01:00"),
    )

    assert response.status_code == 400
    assert 'id="ends_at-error"' in response.get_data(as_text=True)


def test_session_with_a_missing_time_is_refused_in_indonesian(client, login_as, make_workshop):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/baru", data=session_form(starts_at="", title="")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Waktu mulai wajib diisi." in page
    assert "Judul sesi wajib diisi." in page


def test_editing_a_session_shows_and_keeps_local_times(db, client, login_as, make_workshop):
    workshop = make_workshop(timezone=WorkshopTimezone.WITA)
    session = workshop.sessions[0]  # 02:00–03:00 UTC = 10.00–11.00 WITA
    login_as(workshop.organizers[0])
    url = f"/kelola/{workshop.slug}/sesi/{session.id}/ubah"

    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data=session_form(title="Sesi diubah", place=""))

    assert 'value="2030-12-07T10:00"' in page
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(WorkshopSession, session.id)
    assert (edited.title, edited.place, edited.starts_at) == (
        "Sesi diubah",
        None,
        utc(2030, 12, 7, 1),
    )


def test_sessions_are_reordered_by_moving_up_and_down(db, client, login_as, make_workshop):
    workshop = make_workshop(sessions=3)
    first, second, third = workshop.sessions
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/sesi/{third.id}/pindah", data={"direction": "up"})
    assert _titles(db, workshop) == ["Sesi 1", "Sesi 3", "Sesi 2"]

    client.post(f"/kelola/{workshop.slug}/sesi/{first.id}/pindah", data={"direction": "down"})
    assert _titles(db, workshop) == ["Sesi 3", "Sesi 1", "Sesi 2"]

    client.post(f"/kelola/{workshop.slug}/sesi/{second.id}/pindah", data={"direction": "down"})
    assert _titles(db, workshop) == ["Sesi 3", "Sesi 1", "Sesi 2"]


def test_moving_in_an_unknown_direction_is_a_bad_request(client, login_as, make_workshop):
    workshop = make_workshop(sessions=2)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/{workshop.sessions[0].id}/pindah",
        data={"direction": "samping"},
    )

    assert response.status_code == 400


def test_deleting_a_session(db, client, login_as, make_workshop):
    workshop = make_workshop(sessions=2)
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/sesi/{workshop.sessions[0].id}/hapus")

    assert _titles(db, workshop) == ["Sesi 2"]


def test_the_last_session_of_a_published_workshop_cannot_be_deleted(
    db, client, login_as, make_workshop
):
    workshop = make_workshop(sessions=1, status=WorkshopStatus.PUBLISHED)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/{workshop.sessions[0].id}/hapus", follow_redirects=True
    )

    assert "harus memiliki setidaknya satu sesi" in response.get_data(as_text=True)
    assert _titles(db, workshop) == ["Sesi 1"]


def test_a_session_of_another_workshop_is_not_found(client, login_as, make_workshop):
    mine, other = make_workshop(), make_workshop()
    foreign = other.sessions[0].id
    login_as(mine.organizers[0])
    base = f"/kelola/{mine.slug}/sesi/{foreign}"

    assert client.get(f"{base}/ubah").status_code == 404
    assert client.post(f"{base}/ubah", data=session_form()).status_code == 404
    assert client.post(f"{base}/hapus").status_code == 404
    assert client.post(f"{base}/pindah", data={"direction": "up"}).status_code == 404


def test_quota_is_added_and_deleted(db, client, login_as, make_workshop):
    workshop = make_workshop(capacity=10)
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/kuota", data={"group": "province:73", "seats": "4"})
    client.post(
        f"/kelola/{workshop.slug}/kuota", data={"group": "institution_type:dprd", "seats": "2"}
    )
    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)
    quotas = db.session.scalars(sa.select(Quota).order_by(Quota.id)).all()

    assert [(q.kind, q.value, q.seats) for q in quotas] == [
        (QuotaKind.PROVINCE, "73", 4),
        (QuotaKind.INSTITUTION_TYPE, "dprd", 2),
    ]
    assert "Sulawesi Selatan" in page
    assert "DPRD" in page

    client.post(f"/kelola/{workshop.slug}/kuota/{quotas[0].id}/hapus")
    db.session.expire_all()
    assert db.session.scalars(sa.select(Quota.value)).all() == ["dprd"]


def test_deleting_a_quota_keeps_its_confirmed_participants(
    db, client, login_as, make_workshop, register
):
    workshop = make_workshop(capacity=10)
    quota = Quota(workshop=workshop, kind=QuotaKind.PROVINCE, value="73", seats=2)
    db.session.add(quota)
    db.session.commit()
    registration = register(workshop)
    registration.quota_id = quota.id
    db.session.commit()
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/kuota/{quota.id}/hapus")

    db.session.expire_all()
    kept = db.session.get(Registration, registration.id)
    assert (kept.status, kept.quota_id) == (RegistrationStatus.CONFIRMED, None)


def test_quotas_beyond_the_capacity_are_refused(db, client, login_as, make_workshop):
    workshop = make_workshop(capacity=5)
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/kuota", data={"group": "province:73", "seats": "4"})
    response = client.post(
        f"/kelola/{workshop.slug}/kuota", data={"group": "province:72", "seats": "2"}
    )

    assert response.status_code == 400
    assert "tidak boleh melebihi kapasitas" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Quota)) == 1


def test_a_second_quota_for_the_same_group_is_refused(client, login_as, make_workshop):
    workshop = make_workshop(capacity=10)
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/kuota", data={"group": "province:73", "seats": "2"})
    response = client.post(
        f"/kelola/{workshop.slug}/kuota", data={"group": "province:73", "seats": "3"}
    )

    assert response.status_code == 400
    assert "sudah memiliki kuota" in response.get_data(as_text=True)


def test_invalid_quota_is_refused_in_indonesian(client, login_as, make_workshop):
    workshop = make_workshop(capacity=10)
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/kuota", data={"group": "province:99", "seats": "0"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pilih salah satu pilihan yang tersedia." in page
    assert "Jumlah kursi paling sedikit 1." in page


def test_a_quota_of_another_workshop_is_not_found(db, client, login_as, make_workshop):
    mine, other = make_workshop(), make_workshop()
    quota = Quota(workshop=other, kind=QuotaKind.PROVINCE, value="73", seats=2)
    db.session.add(quota)
    db.session.commit()
    login_as(mine.organizers[0])

    response = client.post(f"/kelola/{mine.slug}/kuota/{quota.id}/hapus")

    assert response.status_code == 404
    assert db.session.get(Quota, quota.id) is not None


def test_deleting_a_session_or_a_quota_asks_first_on_the_page(client, login_as, make_workshop):
    """The delete buttons sit behind a question that opens in place (a <details>), never one tap."""
    workshop = make_workshop(sessions=2)
    login_as(workshop.organizers[0])
    client.post(
        f"/kelola/{workshop.slug}/kuota",
        data={"group": "province:73", "seats": "4"},
    )

    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)

    for action in ("/sesi/", "/kuota/"):
        forms = re.findall(
            rf'<form method="post" action="/kelola/{workshop.slug}{action}\d+/hapus"', page
        )
        assert forms, action
        for match in re.finditer(rf'action="/kelola/{workshop.slug}{action}\d+/hapus"', page):
            opened = page.rfind('<details class="confirm-delete">', 0, match.start())
            closed = page.rfind("</details>", 0, match.start())
            assert opened > closed, f"a delete form outside its question: {action}"
    assert "Ya, hapus sesi" in page and "Ya, hapus kuota" in page
