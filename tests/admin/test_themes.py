"""The KKPHAM theme list: seeded by the migration, edited by admins only, every change audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokalatih.action_plans.services import active_themes
from lokalatih.models import AuditEvent, Role, Theme

SEEDED = [
    "Hak atas bantuan hukum",
    "Hak atas informasi",
    "Hak turut serta dalam pemerintahan",
    "Hak atas keberagaman dan pluralisme",
    "Hak atas kependudukan (administrasi kependudukan)",
    "Hak atas kesehatan",
    "Hak atas pendidikan",
    "Hak atas pekerjaan",
    "Hak atas lingkungan yang baik dan sehat serta perumahan yang layak",
    "Hak perempuan dan anak",
]


@pytest.fixture
def themes_restored(db):
    """The theme list is reference data kept between tests: put it back as it was."""
    saved = [
        (t.id, t.name_id, t.name_en, t.position, t.active) for t in db.session.query(Theme).all()
    ]
    yield
    db.session.rollback()
    db.session.execute(sa.delete(Theme).where(Theme.id.not_in([row[0] for row in saved])))
    for theme_id, name_id, name_en, position, active in saved:
        theme = db.session.get(Theme, theme_id)
        theme.name_id, theme.name_en, theme.position, theme.active = (
            name_id,
            name_en,
            position,
            active,
        )
    db.session.commit()


def _names(db) -> list[str]:
    return list(db.session.scalars(sa.select(Theme.name_id).order_by(Theme.position, Theme.id)))


def _actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_migration_seeds_the_ten_kkpham_rights(db):
    assert _names(db) == SEEDED
    assert db.session.scalar(sa.select(Theme.name_en).where(Theme.code == "informasi")) == (
        "Right to information"
    )


def test_an_admin_renames_reorders_deactivates_and_adds(
    db, client, login_as, make_user, themes_restored
):
    login_as(make_user(role=Role.ADMIN))
    health = db.session.scalar(sa.select(Theme).where(Theme.code == "kesehatan"))

    client.post(
        f"/admin/tema/{health.id}",
        data={f"t{health.id}-name_id": "Hak atas layanan kesehatan", f"t{health.id}-name_en": "x"},
    )
    client.post(f"/admin/tema/{health.id}/naik")
    client.post(f"/admin/tema/{health.id}/nonaktifkan")
    client.post(
        "/admin/tema",
        data={"code": "air_bersih", "name_id": "Hak atas air bersih", "name_en": "Right to water"},
    )

    names = _names(db)
    assert names[4:6] == ["Hak atas layanan kesehatan", SEEDED[4]]
    assert names[-1] == "Hak atas air bersih"
    db.session.refresh(health)
    assert not health.active
    assert _actions(db)[-4:] == [
        "theme_renamed",
        "theme_moved",
        "theme_deactivated",
        "theme_created",
    ]
    page = client.get("/admin/tema").get_data(as_text=True)
    assert "nonaktif" in page and "Aktifkan lagi" in page


def test_a_taken_code_is_refused(db, client, login_as, make_user, themes_restored):
    login_as(make_user(role=Role.ADMIN))

    response = client.post(
        "/admin/tema", data={"code": "informasi", "name_id": "Dua kali", "name_en": "Twice"}
    )

    assert response.status_code == 400
    assert "Kode ini sudah dipakai tema lain." in response.get_data(as_text=True)


def test_an_inactive_theme_is_not_offered_in_the_plan(db, themes_restored):
    health = db.session.scalar(sa.select(Theme).where(Theme.code == "kesehatan"))
    health.active = False
    db.session.commit()

    codes = [theme.code for theme in active_themes()]

    assert "kesehatan" not in codes and "informasi" in codes


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER])
def test_only_admins_edit_themes(db, client, login_as, make_user, role):
    login_as(make_user(role=role))

    assert client.get("/admin/tema").status_code == 403
    assert client.post("/admin/tema", data={"code": "x_y"}).status_code == 403
