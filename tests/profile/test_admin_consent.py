import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, ConsentVersion, Role
from lokalatih.privacy import consent

PAGES = ["/admin/persetujuan", "/admin/persetujuan/baru"]


@pytest.fixture
def admin(make_user, sign_in):
    return sign_in(make_user(role=Role.ADMIN))


def publish(client, **changes):
    data = {"body_id": "Teks versi baru.", "body_en": "New version text.", "confirm": "y"}
    return client.post("/admin/persetujuan/baru", data={**data, **changes})


def versions(db) -> list[int]:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ConsentVersion.version).order_by(ConsentVersion.version)
    ).all()


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, page):
    response = client.get(page)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER])
@pytest.mark.parametrize("page", PAGES)
def test_only_admins_open_the_consent_pages(client, make_user, sign_in, role, page):
    sign_in(make_user(role=role))

    assert client.get(page).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER])
def test_only_admins_publish(client, db, make_user, sign_in, consent_version, role):
    sign_in(make_user(role=role))

    assert publish(client).status_code == 403
    assert versions(db) == [1]


def test_admin_sees_the_versions_with_how_many_agreed(
    client, db, admin, make_user, consent_version
):
    someone = make_user()
    consent.give_consent(someone, list(consent.REQUIRED_PURPOSES), consent_version)
    db.session.commit()

    page = client.get("/admin/persetujuan").get_data(as_text=True)

    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>1" in row
    assert "<td>1</td>" in row  # one user agreed
    assert consent_version.body_id in row


def test_publish_form_is_prefilled_with_the_current_text(client, admin, consent_version):
    page = client.get("/admin/persetujuan/baru").get_data(as_text=True)

    assert consent_version.body_id in page
    assert consent_version.body_en in page


def test_admin_publishes_a_new_version(client, db, admin, consent_version):
    response = publish(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/persetujuan"
    assert versions(db) == [1, 2]
    latest = consent.current_consent_version()
    assert (latest.body_id, latest.published_by_id) == ("Teks versi baru.", admin.id)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "consent_version_published")
    )
    assert event.actor_id == admin.id
    assert event.details == {"version": 2}
    assert "Versi 2 diterbitkan" in client.get("/admin/persetujuan").get_data(as_text=True)


def test_the_first_version_can_be_published_when_none_exists(client, db, admin):
    assert publish(client).status_code == 302
    assert versions(db) == [1]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body_id": ""}, "Teks ini wajib diisi."),
        ({"body_en": "   "}, "Teks ini wajib diisi."),
        ({"body_id": "x" * 20_001}, "Teks paling banyak 20000 karakter."),
        ({"confirm": ""}, "Centang konfirmasi ini untuk menerbitkan."),
    ],
)
def test_bad_consent_text_is_a_form_error(client, db, admin, consent_version, changes, message):
    response = publish(client, **changes)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert versions(db) == [1]


def test_a_nul_byte_in_the_text_is_refused_before_anything_is_saved(
    client, db, admin, consent_version
):
    # No browser sends one; the app refuses it before any view runs (PostgreSQL cannot store it).
    assert publish(client, body_en="ok\x00").status_code == 400
    assert versions(db) == [1]


def test_publishing_unchanged_text_is_refused(client, db, admin, consent_version):
    response = publish(client, body_id=consent_version.body_id, body_en=consent_version.body_en)

    assert response.status_code == 400
    assert "Teks sama dengan versi yang berlaku" in response.get_data(as_text=True)
    assert versions(db) == [1]
