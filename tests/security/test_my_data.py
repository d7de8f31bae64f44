"""“Data saya”: a participant downloads everything about them, and nothing about anyone else."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import sqlalchemy as sa

from lokalatih.audit import record_event
from lokalatih.models import AuditEvent, ConsentPurpose, ConsentRecord

from .fixtures import World, signed_in_client

CSV_FILES = {
    "profile.csv",
    "consents.csv",
    "registrations.csv",
    "quiz_attempts.csv",
    "quiz_answers.csv",
    "check_ins.csv",
    "certificates.csv",
    "audit_events.csv",
}


def download(app, user):
    return signed_in_client(app, user).post("/data-saya/unduh")


def unzip(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def give_consent(db, world: World, consent_version) -> None:
    for owned in (world.participant, world.other_participant):
        db.session.add(
            ConsentRecord(
                user_id=owned.user.id,
                version_id=consent_version.id,
                purpose=ConsentPurpose.TRAINING,
            )
        )
    db.session.commit()


def test_the_page_explains_the_download(app, world):
    page = signed_in_client(app, world.participant.user).get("/data-saya")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Undang-Undang Nomor 27 Tahun 2022" in text
    assert 'action="/data-saya/unduh"' in text


def test_the_zip_holds_json_and_a_csv_for_each_kind_of_data(app, db, world, consent_version):
    give_consent(db, world, consent_version)

    response = download(app, world.participant.user)

    files = unzip(response)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert set(files) == {"data.json", *CSV_FILES}
    data = json.loads(files["data.json"])
    mine = world.participant
    assert data["profile"]["email"] == mine.user.email
    assert data["profile"]["phone"] == "+6281234567890"
    assert [c["purpose"] for c in data["consents"]] == ["training"]
    assert [r["registration_id"] for r in data["registrations"]] == [mine.registration.id]
    assert [a["attempt_id"] for a in data["quiz_attempts"]] == [mine.attempt.id]
    assert [a["selected"] for a in data["quiz_answers"]] == ["a"]
    assert "DUHAM diproklamasikan" in data["quiz_answers"][0]["question"]
    assert [c["method"] for c in data["check_ins"]] == ["code"]
    assert [c["code"] for c in data["certificates"]] == [mine.certificate.code]
    registrations = list(csv.DictReader(io.StringIO(files["registrations.csv"])))
    assert registrations[0]["workshop_slug"] == world.workshop.slug


def test_the_zip_holds_nothing_of_another_participant(app, db, world, consent_version):
    give_consent(db, world, consent_version)
    other = world.other_participant
    record_event("login", actor=other.user, target=other.user, ip="198.51.100.7")
    db.session.commit()

    files = unzip(download(app, world.participant.user))

    everything = "\n".join(files.values())
    assert other.user.email not in everything
    assert other.certificate.code not in everything
    assert "198.51.100.7" not in everything
    data = json.loads(files["data.json"])
    assert other.registration.id not in [r["registration_id"] for r in data["registrations"]]
    assert other.attempt.id not in [a["attempt_id"] for a in data["quiz_attempts"]]


def test_audit_entries_about_the_user_are_included_without_the_admins_identity(app, db, world):
    me = world.participant.user
    record_event("login", actor=me, target=me, ip="192.0.2.10")
    record_event(
        "role_changed", actor=world.admin, target=me, details={"to": "reviewer"}, ip="192.0.2.99"
    )
    record_event("role_changed", actor=world.admin, target=world.other_participant.user)
    db.session.commit()

    data = json.loads(unzip(download(app, me))["data.json"])

    entries = [(e["action"], e["by_self"], e["ip"]) for e in data["audit_events"]]
    assert ("login", True, "192.0.2.10") in entries
    assert ("role_changed", False, None) in entries
    assert len([e for e in entries if e[0] == "role_changed"]) == 1
    assert world.admin.email not in json.dumps(data)


def test_the_download_is_recorded_in_the_audit_log(app, db, world):
    download(app, world.participant.user)

    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "personal_data_exported")
    )
    assert event.actor_id == world.participant.user.id
    assert (event.object_type, event.object_id) == ("User", str(world.participant.user.id))


def test_a_formula_in_a_name_is_not_a_formula_in_the_csv(app, db, world):
    world.participant.user.profile.full_name = '=HYPERLINK("http://contoh.id")'
    db.session.commit()

    files = unzip(download(app, world.participant.user))

    [row] = list(csv.DictReader(io.StringIO(files["profile.csv"])))
    assert row["full_name"].startswith("'=")


def test_the_download_needs_a_post(app, world):
    client = signed_in_client(app, world.participant.user)

    assert client.get("/data-saya/unduh").status_code == 405


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.post("/data-saya/unduh")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_the_download_needs_the_csrf_token(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)

    with app.app_context():
        response = signed_in_client(app, world.participant.user).post("/data-saya/unduh")

    assert response.status_code == 400
