"""The admin audit log page: search by action, actor, object and dates; 50 a page; read-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lokalatih.models import AuditEvent, Role

from .fixtures import signed_in_client


@pytest.fixture
def admin_client(app, make_user):
    return signed_in_client(app, make_user(email="admin@contoh.id", role=Role.ADMIN))


@pytest.fixture
def add_event(db):
    def add(action: str, actor=None, *, at=None, object_type="User", object_id="7", **details):
        event = AuditEvent(
            action=action,
            actor_id=actor.id if actor else None,
            object_type=object_type,
            object_id=object_id,
            details=details or None,
            ip="203.0.113.9",
            at=at or datetime.now(UTC),
        )
        db.session.add(event)
        db.session.commit()
        return event

    return add


def rows(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.find("<tbody>") : page.find("</tbody>")] if "<tbody>" in page else ""


def test_the_page_shows_who_what_which_object_when_and_from_where(
    admin_client, make_user, add_event
):
    actor = make_user(email="penyelenggara@contoh.id", role=Role.ORGANIZER)
    add_event(
        "registration_rejected",
        actor,
        at=datetime(2026, 12, 7, 2, 30, tzinfo=UTC),
        object_type="Registration",
        object_id="42",
        reason="Kuota penuh",
    )

    response = admin_client.get("/admin/audit")

    table = rows(response)
    assert response.status_code == 200
    assert "penyelenggara@contoh.id" in table
    assert "Pendaftaran ditolak" in table
    assert "<code>registration_rejected</code>" in table  # the code stays, for searching
    assert "Pendaftaran #42" in table
    assert "Alasan: Kuota penuh" in table
    assert "7 Des 2026, 09.30.00 WIB" in table
    assert "203.0.113.9" in table
    assert response.headers["Cache-Control"] == "no-store"


def test_details_show_labels_never_raw_codes(admin_client, add_event):
    add_event(
        "role_changed",
        object_id="9",
        to="reviewer",
        filters={"province": "73", "gender": "female", "institution_type": "local_government"},
        automatic=True,
    )
    add_event(
        "state_guard_overridden",
        object_type="Workshop",
        guard="complete_before_last_session_ends",
        last_session_ends_at="2026-12-07T04:00:00+00:00",
    )

    table = rows(admin_client.get("/admin/audit"))

    assert "Peran diubah" in table
    assert "Menjadi: Peninjau" in table
    assert "Provinsi: Sulawesi Selatan" in table
    assert "Jenis kelamin: Perempuan" in table
    assert "Jenis instansi: Pemerintah daerah (OPD)" in table
    assert "Otomatis: ya" in table
    assert "Pengaman: Menandai selesai sebelum sesi terakhir berakhir" in table
    assert "Sesi terakhir berakhir: 07-12-2026 11.00 WIB" in table
    for code in ("{'province'", "female", "local_government", ">reviewer<", "before_last"):
        assert code not in table


def test_every_action_the_code_records_has_a_label():
    """A new audit action without a label would show as a code on the admin's page."""
    import re
    from pathlib import Path

    import lokalatih
    from lokalatih.admin.audit_labels import ACTION_LABELS, GUARD_LABELS
    from lokalatih.overrides import OVERRIDE_ACTION

    package = Path(lokalatih.__file__).resolve().parent
    recorded = {OVERRIDE_ACTION} | {
        match.group(1)
        for path in package.rglob("*.py")
        for match in re.finditer(r'record_event\(\s*"([a-z_]+)"', path.read_text())
    }
    assert len(recorded) > 40
    assert recorded - set(ACTION_LABELS) == set()
    guards = {
        match.group(1)
        for path in package.rglob("*.py")
        for match in re.finditer(r'record_override\(\s*"([a-z_]+)"', path.read_text())
    }
    assert len(guards) >= 2
    assert guards - set(GUARD_LABELS) == set()


def test_entries_are_filtered_by_action_actor_object_and_dates(admin_client, make_user, add_event):
    ani, budi = make_user(email="ani@contoh.id"), make_user(email="budi@contoh.id")
    add_event("login", ani, at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    add_event("login_failed", budi, at=datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    # 17.00 UTC on 5 December is already midnight of 6 December in Jakarta: outside the range.
    add_event(
        "role_changed",
        budi,
        object_type="User",
        object_id="99",
        at=datetime(2026, 12, 5, 17, 0, tzinfo=UTC),
    )
    # 23.30 WIB on 5 December is 16.30 UTC: still 5 December for an admin in Jakarta.
    add_event("logout", ani, at=datetime(2026, 12, 5, 16, 30, tzinfo=UTC))

    by_action = rows(admin_client.get("/admin/audit?action=login_failed"))
    by_actor = rows(admin_client.get("/admin/audit?actor=budi"))
    by_object = rows(admin_client.get("/admin/audit?object_type=user&object_id=99"))
    by_dates = rows(admin_client.get("/admin/audit?date_from=2026-12-05&date_to=2026-12-05"))

    assert "login_failed" in by_action and ">login<" not in by_action
    assert "ani@contoh.id" not in by_actor and by_actor.count("budi@contoh.id") == 2
    assert "role_changed" in by_object and "login_failed" not in by_object
    assert "login_failed" in by_dates and "logout" in by_dates
    assert "role_changed" not in by_dates and ">login<" not in by_dates


def test_entries_are_shown_fifty_a_page_newest_first(admin_client, db, add_event):
    for number in range(60):
        db.session.add(AuditEvent(action=f"aksi_{number:02d}", at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()

    first = rows(admin_client.get("/admin/audit"))
    second = rows(admin_client.get("/admin/audit?page=2"))

    assert first.count("<tr>") == 50 and second.count("<tr>") == 10
    assert "aksi_59" in first and "aksi_00" in second


def test_an_invalid_date_is_reported_and_the_rest_still_searches(admin_client, add_event):
    add_event("login")

    response = admin_client.get("/admin/audit?date_from=kemarin&action=login")

    assert response.status_code == 400
    assert "login" in rows(response)


def test_the_log_cannot_be_edited_or_deleted_through_the_app(app, admin_client, add_event):
    event = add_event("login")

    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.audit")]
    deleted = admin_client.post(f"/admin/audit/{event.id}/hapus")

    assert [(r.rule, r.methods - {"HEAD", "OPTIONS"}) for r in audit_rules] == [
        ("/admin/audit", {"GET"})
    ]
    assert admin_client.post("/admin/audit").status_code == 405
    assert deleted.status_code == 404


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER])
def test_only_admins_see_the_log(app, make_user, role):
    client = signed_in_client(app, make_user(role=role))

    assert client.get("/admin/audit").status_code == 403
