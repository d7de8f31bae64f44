"""KKPHAM theme tags on the workshop and session forms, and on the public workshop page."""

from __future__ import annotations

import sqlalchemy as sa

from lokalatih.models import Theme, Workshop, WorkshopStatus
from tests.workshops.test_sessions_and_quotas import session_form
from tests.workshops.workshop_helpers import workshop_form


def _theme(db, code: str) -> Theme:
    return db.session.scalar(sa.select(Theme).where(Theme.code == code))


def test_workshop_form_offers_active_themes_and_saves_the_ticked_ones(
    db, client, login_as, organizer
):
    _theme(db, "pekerjaan").active = False
    db.session.commit()
    health, education = _theme(db, "kesehatan"), _theme(db, "pendidikan")
    login_as(organizer)

    page = client.get("/kelola/baru").get_data(as_text=True)
    assert "Hak atas kesehatan" in page
    assert "Hak atas pekerjaan" not in page  # inactive: offered for no new tag

    response = client.post(
        "/kelola/baru", data=workshop_form(themes=[str(health.id), str(education.id)])
    )

    assert response.status_code == 302
    workshop = db.session.scalar(sa.select(Workshop).order_by(Workshop.id.desc()))
    assert [theme.code for theme in workshop.themes] == ["kesehatan", "pendidikan"]


def test_editing_unticks_a_theme_and_keeps_an_inactive_one(db, client, login_as, make_workshop):
    workshop = make_workshop()
    health, work = _theme(db, "kesehatan"), _theme(db, "pekerjaan")
    workshop.themes = [health, work]
    work.active = False
    db.session.commit()
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/ubah").get_data(as_text=True)
    assert "Hak atas pekerjaan" in page  # still shown, ticked, on what carries it
    client.post(
        f"/kelola/{workshop.slug}/ubah",
        data=workshop_form(title=workshop.title, capacity="30", themes=[str(work.id)]),
    )

    db.session.expire_all()
    assert [theme.code for theme in db.session.get(Workshop, workshop.id).themes] == ["pekerjaan"]


def test_session_themes_default_to_none_and_can_be_ticked(db, client, login_as, make_workshop):
    workshop = make_workshop(sessions=0)
    info = _theme(db, "informasi")
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/sesi/baru", data=session_form())
    client.post(
        f"/kelola/{workshop.slug}/sesi/baru",
        data=session_form(title="Keterbukaan informasi", themes=[str(info.id)]),
    )

    db.session.expire_all()
    sessions = {s.title: s for s in db.session.get(Workshop, workshop.id).sessions}
    assert sessions["Pengantar DUHAM"].themes == []
    assert [t.code for t in sessions["Keterbukaan informasi"].themes] == ["informasi"]


def test_public_page_shows_the_workshops_and_its_sessions_themes(db, client, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED)
    workshop.themes = [_theme(db, "pendidikan")]
    workshop.sessions[0].themes = [_theme(db, "bantuan_hukum"), _theme(db, "pendidikan")]
    db.session.commit()

    page = client.get(f"/loka-latih/{workshop.slug}").get_data(as_text=True)

    assert "Tema KKPHAM" in page
    assert page.count("Hak atas pendidikan") == 1
    assert page.index("Hak atas bantuan hukum") < page.index("Hak atas pendidikan")


def test_tagging_a_session_renews_the_cached_public_page(
    db, client, login_as, make_workshop, organizer
):
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED)
    url = f"/loka-latih/{workshop.slug}"
    assert "Hak atas kesehatan" not in client.get(url).get_data(as_text=True)
    session_id = workshop.sessions[0].id
    health = _theme(db, "kesehatan")
    login_as(organizer)
    client.post(
        f"/kelola/{workshop.slug}/sesi/{session_id}/ubah",
        data=session_form(title="Sesi 1", themes=[str(health.id)]),
    )
    client.post("/keluar")

    assert "Hak atas kesehatan" in client.get(url).get_data(as_text=True)
