"""Object access: a URL carrying the id of someone's registration, attempt, answer, check-in,
personal QR, certificate or export is refused to everyone else (404 or 403), and changes nothing.

The intruders are a second participant of the same workshop (with objects of their own), the
organizer of another workshop, and a reviewer. Answers have no URL of their own: they are read and
written through the attempt's URLs, which are covered here.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokalatih.models import Answer, CheckIn, RegistrationStatus

from .fixtures import Owned, World, signed_in_client

REFUSED = {403, 404}
INTRUDERS = ("other_participant", "other_organizer", "reviewer")

# (name, method, URL of the victim's object, request body)
PARTICIPANT_OBJECT_URLS = [
    ("personal QR", "GET", lambda o: f"/workshop-saya/{o.registration.id}/qr.svg", {}),
    ("cancel registration", "POST", lambda o: f"/workshop-saya/{o.registration.id}/batal", {}),
    ("attempt page", "GET", lambda o: f"/percobaan/{o.attempt.id}", {}),
    ("attempt result", "GET", lambda o: f"/percobaan/{o.attempt.id}/hasil", {}),
    ("save a page of answers", "POST", lambda o: f"/percobaan/{o.attempt.id}", {"page": "1"}),
    ("submit attempt", "POST", lambda o: f"/percobaan/{o.attempt.id}/kirim", {}),
    ("certificate PDF", "GET", lambda o: f"/sertifikat/{o.certificate.id}.pdf", {}),
]


def intruder(world: World, who: str):
    return world.other_participant.user if who == "other_participant" else getattr(world, who)


def assert_untouched(db, owned: Owned) -> None:
    db.session.expire_all()
    assert owned.registration.status == RegistrationStatus.CONFIRMED
    assert owned.attempt.submitted_at is None
    assert owned.certificate.revoked_at is None
    assert db.session.get(CheckIn, owned.check_in.id) is not None
    answers = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == owned.attempt.id))
    assert [a.selected_keys for a in answers] == [["a"]]


@pytest.mark.parametrize("who", INTRUDERS)
@pytest.mark.parametrize(
    ("name", "method", "url", "data"),
    PARTICIPANT_OBJECT_URLS,
    ids=[name for name, *_ in PARTICIPANT_OBJECT_URLS],
)
def test_participants_objects_are_refused_to_others(app, db, world, who, name, method, url, data):
    client = signed_in_client(app, intruder(world, who))

    response = client.open(url(world.participant), method=method, data=data)

    assert response.status_code in REFUSED, f"{name} as {who}: {response.status_code}"
    assert_untouched(db, world.participant)


@pytest.mark.parametrize("who", INTRUDERS)
def test_saving_an_answer_into_someone_elses_attempt_is_refused(app, db, world, who):
    client = signed_in_client(app, intruder(world, who))

    response = client.post(
        f"/percobaan/{world.participant.attempt.id}/jawaban",
        json={"question_id": world.question.id, "selected": ["b"]},
    )

    assert response.status_code in REFUSED
    assert_untouched(db, world.participant)


def test_the_owner_can_open_the_same_urls(app, world):
    client = signed_in_client(app, world.participant.user)

    statuses = [
        client.get(url(world.participant)).status_code
        for _, method, url, _ in PARTICIPANT_OBJECT_URLS
        if method == "GET"
    ]

    assert all(status < 400 for status in statuses), statuses


# --- another organizer, through the pages of their own workshop -------------------------------


def cross_workshop_urls(world: World) -> list[tuple[str, str, dict]]:
    """URLs under the other organizer's own workshop that carry ids from this workshop."""
    mine, theirs = world.other_workshop.slug, world.participant
    my_session = world.other_workshop.sessions[0].id
    registration, certificate = theirs.registration.id, theirs.certificate.id
    manage = f"/kelola/{mine}"
    return [
        (f"{manage}/pendaftar/{registration}/setujui", "POST", {}),
        (f"{manage}/pendaftar/{registration}/tolak", "POST", {"reason": "Tidak memenuhi syarat"}),
        (f"{manage}/pendaftar/{registration}/naikkan", "POST", {}),
        (f"{manage}/sertifikat/{registration}/terbitkan", "POST", {}),
        (f"{manage}/sertifikat/{registration}/terbitkan-ulang", "POST", {"reason": "Salah nama"}),
        (f"{manage}/sertifikat/cabut/{certificate}", "POST", {"reason": "Uji"}),
        (f"{manage}/sesi/{my_session}/presensi/tandai", "POST", _hand(registration)),
        (f"{manage}/sesi/{my_session}/presensi/hapus", "POST", _hand(registration)),
        (f"{manage}/sesi/{world.session.id}/presensi", "GET", {}),
        (f"{manage}/sesi/{world.session.id}/presensi/hapus", "POST", _hand(registration)),
        (f"{manage}/sesi/{world.session.id}/ubah", "GET", {}),
        (f"{manage}/sesi/{world.session.id}/hapus", "POST", {}),
        (f"{manage}/kuota/{world.quota.id}/hapus", "POST", {}),
    ]


def _hand(registration_id: int) -> dict:
    return {"registration_id": registration_id, "reason": "Hadir, lupa memindai"}


def test_another_organizer_cannot_reach_this_workshops_rows_through_their_own(app, db, world):
    client = signed_in_client(app, world.other_organizer)

    statuses = {
        url: client.open(url, method=method, data=data).status_code
        for url, method, data in cross_workshop_urls(world)
    }

    assert {url: s for url, s in statuses.items() if s not in REFUSED} == {}
    assert_untouched(db, world.participant)
    assert db.session.get(type(world.session), world.session.id) is not None
    assert db.session.get(type(world.quota), world.quota.id) is not None


EXPORTS = [
    "/kelola/{slug}/pendaftar.csv",
    "/kelola/{slug}/pendaftar.xlsx",
    "/kelola/{slug}/presensi.csv",
    "/kelola/{slug}/presensi.xlsx",
    "/kelola/{slug}/hasil-tes.xlsx",
    "/kelola/{slug}/sertifikat.zip",
]


@pytest.mark.parametrize("who", INTRUDERS)
@pytest.mark.parametrize("export", EXPORTS)
def test_exports_of_a_workshop_are_refused_to_others(app, world, who, export):
    client = signed_in_client(app, intruder(world, who))

    response = client.get(export.format(slug=world.workshop.slug))

    assert response.status_code in REFUSED
    assert world.participant.user.email.encode() not in response.data


@pytest.mark.parametrize("export", EXPORTS)
def test_exports_reach_the_workshops_own_organizer(app, world, export):
    client = signed_in_client(app, world.organizer)

    response = client.get(export.format(slug=world.workshop.slug))

    assert response.status_code == 200
