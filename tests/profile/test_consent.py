import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_login import login_user

from lokalatih.models import AuditEvent, ConsentPurpose, ConsentRecord, utcnow
from lokalatih.privacy import consent
from lokalatih.privacy.errors import (
    OutdatedConsentVersionError,
    RequiredConsentMissingError,
    UnchangedConsentTextError,
)
from tests.support import recorded_statements

ALL_PURPOSES = {"training": "y", "evaluation": "y", "announcements": "y"}
REQUIRED_ONLY = {"training": "y", "evaluation": "y"}


def records(db, user) -> list[ConsentRecord]:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.id)
    ).all()


def checkboxes(page: str) -> list[str]:
    return re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", page)


def audit_actions(db) -> list[str]:
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_consent_page_needs_a_login(client):
    response = client.get("/persetujuan")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_consent_page_shows_the_current_text_with_its_version(client, participant, db):
    version = consent.publish_consent_version("Teks versi dua.", "Text version two.", None)
    db.session.commit()

    page = client.get("/persetujuan").get_data(as_text=True)

    assert "Teks versi dua." in page
    assert "Text version two." not in page
    assert f"Versi {version.version}, berlaku sejak" in page
    for label in consent.PURPOSE_LABELS.values():
        assert str(label) in page


def test_consent_text_is_shown_in_english_to_english_users(client, make_user, sign_in, db):
    sign_in(make_user(locale="en"))
    consent.publish_consent_version("Teks Indonesia.", "English text.", None)
    db.session.commit()

    page = client.get("/persetujuan").get_data(as_text=True)

    assert "English text." in page
    assert "Teks Indonesia." not in page


def test_checkboxes_are_never_pre_ticked_even_after_consenting(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    page = client.get("/persetujuan").get_data(as_text=True)

    assert len(checkboxes(page)) == 3
    assert not any("checked" in box for box in checkboxes(page))
    assert consent.has_current_consent(participant)


def test_checkboxes_are_not_pre_ticked_after_a_new_version(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})
    consent.publish_consent_version("Teks baru.", "New text.", None)
    db.session.commit()

    page = client.get("/persetujuan").get_data(as_text=True)

    assert not any("checked" in box for box in checkboxes(page))


def test_missing_required_purpose_reshows_the_form_with_an_error(
    client, db, participant, consent_version
):
    response = client.post("/persetujuan", data={"version": "1", "training": "y"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Persetujuan ini wajib untuk mengikuti loka latih." in page
    assert records(db, participant) == []
    assert not consent.has_current_consent(participant)


def test_consent_is_recorded_per_purpose_with_version_and_time(
    client, db, participant, consent_version
):
    before = utcnow()

    response = client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    assert response.status_code == 302
    saved = records(db, participant)
    assert {r.purpose for r in saved} == set(ConsentPurpose)
    assert all(r.version_id == consent_version.id for r in saved)
    assert all(before <= r.given_at <= utcnow() and r.withdrawn_at is None for r in saved)
    assert consent.has_current_consent(participant)
    assert audit_actions(db) == ["consent_given"]


def test_submitting_the_same_consent_twice_changes_nothing(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})
    first = [(r.id, r.given_at) for r in records(db, participant)]

    response = client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    assert response.status_code == 302
    assert [(r.id, r.given_at) for r in records(db, participant)] == first
    assert audit_actions(db) == ["consent_given"]


def test_a_concurrent_duplicate_consent_does_not_fail(
    db, participant, consent_version, monkeypatch
):
    consent.give_consent(
        participant, [ConsentPurpose.TRAINING, ConsentPurpose.EVALUATION], consent_version
    )
    db.session.commit()
    # As if another request inserted the rows after this one looked for them.
    monkeypatch.setattr(consent, "_records_for", lambda user, version: {})

    consent.give_consent(
        participant, [ConsentPurpose.TRAINING, ConsentPurpose.EVALUATION], consent_version
    )
    db.session.commit()

    assert len(records(db, participant)) == 2


def test_unticking_the_optional_purpose_withdraws_it(client, db, participant, consent_version):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    client.post("/persetujuan", data={"version": "1", **REQUIRED_ONLY})

    by_purpose = {r.purpose: r for r in records(db, participant)}
    assert by_purpose[ConsentPurpose.ANNOUNCEMENTS].withdrawn_at is not None
    assert by_purpose[ConsentPurpose.TRAINING].withdrawn_at is None
    assert consent.has_current_consent(participant)
    assert ConsentPurpose.ANNOUNCEMENTS not in consent.consent_status(participant).given
    assert audit_actions(db) == ["consent_given", "consent_withdrawn"]


def test_ticking_a_withdrawn_optional_purpose_again_gives_it_again(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})
    client.post("/persetujuan", data={"version": "1", **REQUIRED_ONLY})

    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    assert ConsentPurpose.ANNOUNCEMENTS in consent.consent_status(participant).given
    assert len(records(db, participant)) == 3


def test_withdrawing_the_optional_purpose_from_the_page(client, db, participant, consent_version):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    response = client.post("/persetujuan/tarik", data={"purpose": "announcements"})

    assert response.status_code == 302
    assert consent.consent_status(participant).given == {
        ConsentPurpose.TRAINING,
        ConsentPurpose.EVALUATION,
    }
    assert consent.has_current_consent(participant)
    page = client.get("/persetujuan").get_data(as_text=True)
    assert "telah ditarik" in page
    assert "Ditarik pada" in page


def test_withdrawing_a_required_purpose_ends_current_consent(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **REQUIRED_ONLY})

    client.post("/persetujuan/tarik", data={"purpose": "evaluation"})

    assert not consent.has_current_consent(participant)
    assert not consent.consent_notice_needed(participant)


def test_withdrawing_an_unknown_purpose_is_a_form_error(client, participant, consent_version):
    response = client.post("/persetujuan/tarik", data={"purpose": "marketing"})

    assert response.status_code == 400


def test_a_new_version_needs_consent_again(client, db, participant, make_user, consent_version):
    admin = make_user()
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})
    assert consent.has_current_consent(participant)
    assert not consent.consent_notice_needed(participant)

    version = consent.publish_consent_version("Teks baru.", "New text.", admin)
    db.session.commit()

    assert version.version == 2
    assert not consent.has_current_consent(participant)
    assert consent.consent_notice_needed(participant)
    page = client.get("/profil").get_data(as_text=True)
    assert "Teks persetujuan pengolahan data pribadi telah diperbarui" in page
    assert "Perlu persetujuan ulang" in page

    client.post("/persetujuan", data={"version": "2", **REQUIRED_ONLY})

    assert consent.has_current_consent(participant)
    assert not consent.consent_notice_needed(participant)
    assert "telah diperbarui" not in client.get("/profil").get_data(as_text=True)


def test_a_user_who_never_agreed_gets_no_changed_text_notice(participant, consent_version):
    assert not consent.consent_notice_needed(participant)
    assert not consent.has_current_consent(participant)


def test_agreeing_to_a_text_that_changed_meanwhile_is_refused(
    client, db, participant, consent_version
):
    consent.publish_consent_version("Teks baru.", "New text.", None)
    db.session.commit()

    response = client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})

    assert response.status_code == 400
    assert "Teks persetujuan baru saja diperbarui" in response.get_data(as_text=True)
    assert records(db, participant) == []


def test_give_consent_refuses_missing_required_purposes(db, participant, consent_version):
    with pytest.raises(RequiredConsentMissingError):
        consent.give_consent(participant, [ConsentPurpose.TRAINING], consent_version)


def test_give_consent_refuses_a_superseded_version(db, participant, consent_version):
    consent.publish_consent_version("Teks baru.", "New text.", None)

    with pytest.raises(OutdatedConsentVersionError):
        consent.give_consent(participant, list(ConsentPurpose), consent_version)


def test_history_lists_each_version_and_purpose_with_dates(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", **ALL_PURPOSES})
    consent.publish_consent_version("Teks baru.", "New text.", None)
    db.session.commit()
    client.post("/persetujuan", data={"version": "2", **REQUIRED_ONLY})

    history = consent.consent_history(participant)

    assert [(r.version.version, r.purpose) for r in history] == [
        (2, ConsentPurpose.TRAINING),
        (2, ConsentPurpose.EVALUATION),
        (1, ConsentPurpose.TRAINING),
        (1, ConsentPurpose.EVALUATION),
        (1, ConsentPurpose.ANNOUNCEMENTS),
    ]
    page = client.get("/persetujuan").get_data(as_text=True)
    table = page.split("Riwayat persetujuan")[1]
    assert table.count("<tr>") == 6
    assert "WIB" in table


def test_publishing_numbers_versions_and_audits(db, make_user, consent_version):
    admin = make_user()

    version = consent.publish_consent_version("  Teks\r\nbaru.  ", "New\r\ntext.", admin)

    assert version.version == consent_version.version + 1
    assert version.body_id == "Teks\nbaru."
    assert version.published_by_id == admin.id
    assert abs(version.published_at - utcnow()) < timedelta(minutes=1)
    assert consent.current_consent_version() == version
    assert audit_actions(db) == ["consent_version_published"]


def test_publishing_the_same_text_again_is_refused(db, consent_version):
    with pytest.raises(UnchangedConsentTextError):
        consent.publish_consent_version(consent_version.body_id, consent_version.body_en, None)


def test_default_consent_texts_are_a_reasonable_length():
    for text in (consent.DEFAULT_CONSENT_TEXT_ID, consent.DEFAULT_CONSENT_TEXT_EN):
        assert 150 <= len(text.split()) <= 250
    assert "27 Tahun 2022" in consent.DEFAULT_CONSENT_TEXT_ID
    assert "Komnas HAM" in consent.DEFAULT_CONSENT_TEXT_EN


def test_site_wide_notice_partial_shows_only_when_consent_must_be_renewed(
    app, db, participant, consent_version
):
    consent.give_consent(participant, list(consent.REQUIRED_PURPOSES), consent_version)
    db.session.commit()
    notice = "Tinjau persetujuan"

    def render(source: str) -> str:
        with app.test_request_context("/"):
            login_user(participant)
            return render_template_string(source)

    include = '{% include "privacy/_consent_notice.html" %}'
    assert notice not in render(include)
    consent.publish_consent_version("Teks baru.", "New text.", None)
    db.session.commit()
    assert notice in render(include)
    assert notice not in render("{% set consent_notice_inline = true %}" + include)


def test_a_request_reads_consent_once_and_again_after_it_changes(
    app, db, participant, consent_version
):
    """Every signed-in page shows the notice, and the register box asks too: one read per request,
    forgotten when the request itself gives or withdraws consent."""
    with recorded_statements(db.engine) as statements, app.test_request_context("/"):
        assert not consent.has_current_consent(participant)
        assert consent.consent_notice_needed(participant) is False
        reads = [statement for statement in statements if "consent_records" in statement]
        assert len(reads) == 1
        consent.give_consent(participant, list(consent.REQUIRED_PURPOSES), consent_version)
        assert consent.has_current_consent(participant)
        consent.withdraw_consent(participant, ConsentPurpose.EVALUATION)
        assert not consent.has_current_consent(participant)
        db.session.commit()
