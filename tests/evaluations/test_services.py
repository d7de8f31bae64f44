"""The survey's rules: its window, its items, one anonymous response per confirmed participant."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.certificates.eligibility import eligibility
from lokalatih.evaluations import services
from lokalatih.evaluations.errors import (
    AlreadyAnsweredError,
    ChoicesError,
    ClosedError,
    InvalidAnswerError,
    ItemInUseError,
    MissingAnswerError,
    NotConfirmedError,
    NotOpenYetError,
    WindowOrderError,
)
from lokalatih.evaluations.items import items_for
from lokalatih.models import (
    EvaluationItemKind,
    EvaluationResponse,
    EvaluationSubmission,
    RegistrationStatus,
    WorkshopStatus,
)
from tests.evaluations.fixtures import GOOD


def test_survey_opens_with_the_last_session_and_closes_with_the_post_test(
    clock, ev_workshop, ev_enroll
):
    last_start = clock.now() + timedelta(days=1)
    post_closes = last_start + timedelta(days=2)
    workshop = ev_workshop(last_start, post_closes=post_closes)
    registration = ev_enroll(workshop)

    with pytest.raises(NotOpenYetError):
        services.submit(registration, GOOD)
    clock.set(post_closes)
    with pytest.raises(ClosedError):
        services.submit(registration, GOOD)
    clock.set(last_start)
    services.submit(registration, GOOD)

    assert services.window(workshop) == (last_start, post_closes)
    assert services.has_answered(registration)


def test_without_a_post_test_it_closes_three_days_after_the_last_session_starts(clock, ev_workshop):
    last_start = clock.now() + timedelta(hours=5)

    workshop = ev_workshop(last_start, post_test=False)

    assert services.window(workshop) == (last_start, last_start + timedelta(days=3))


def test_organizer_moves_both_times_and_an_empty_time_keeps_the_default(
    clock, ev_workshop, ev_organizer, ev_enroll
):
    last_start = clock.now() + timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    registration = ev_enroll(workshop)
    opens, closes = clock.now() - timedelta(hours=1), clock.now() + timedelta(days=10)

    services.save_window(workshop, opens, closes, ev_organizer)
    services.submit(registration, GOOD)  # open now, a day before the last session
    services.save_window(workshop, None, closes, ev_organizer)

    assert services.window(workshop) == (last_start, closes)
    with pytest.raises(WindowOrderError):
        services.save_window(workshop, closes, closes - timedelta(minutes=1), ev_organizer)


def test_only_a_confirmed_participant_answers(clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    waitlisted = ev_enroll(workshop, status=RegistrationStatus.WAITLISTED)

    with pytest.raises(NotConfirmedError):
        services.submit(waitlisted, GOOD)


def test_standard_items_one_per_narasumber_then_the_organizers_then_open_questions(
    clock, ev_workshop, ev_organizer
):
    workshop = ev_workshop(clock.now())
    services.add_item(
        workshop,
        EvaluationItemKind.CHOICE,
        "Format yang Anda sukai?",
        ["Luring", "Daring", ""],
        ev_organizer,
    )

    keys = [item.key for item in items_for(workshop)]
    speakers = [item.speakers for item in items_for(workshop) if item.speakers]

    first, second, _ = sorted(workshop.sessions, key=lambda s: s.starts_at)
    assert keys[:4] == ["relevance", "clarity", "materials", "organisation"]
    assert keys[4:6] == [f"session-{first.id}", f"session-{second.id}"]
    assert keys[6:8] == ["confidence", "recommend"]
    assert keys[8].startswith("item-")
    assert keys[9:] == ["most_useful", "improve"]
    assert speakers == ["Dr. Hana Pratiwi", "Ahmad Taufan"]


def test_a_choice_item_needs_two_distinct_choices(clock, ev_workshop, ev_organizer):
    workshop = ev_workshop(clock.now())

    with pytest.raises(ChoicesError):
        services.add_item(workshop, EvaluationItemKind.CHOICE, "Format?", ["Luring"], ev_organizer)
    with pytest.raises(ChoicesError):
        services.add_item(
            workshop, EvaluationItemKind.CHOICE, "Format?", ["Luring", "Luring"], ev_organizer
        )


def test_a_missing_statement_or_an_impossible_answer_is_refused(clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)

    with pytest.raises(MissingAnswerError) as missing:
        services.submit(registration, GOOD | {"clarity": ""})
    with pytest.raises(InvalidAnswerError) as invalid:
        services.submit(registration, GOOD | {"recommend": "6"})

    assert (missing.value.field, invalid.value.field) == ("clarity", "recommend")
    assert not services.has_answered(registration)


def test_a_second_answer_is_refused(clock, ev_workshop, ev_enroll, db):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)
    services.submit(registration, GOOD)

    with pytest.raises(AlreadyAnsweredError):
        services.submit(registration, GOOD | {"recommend": "1"})

    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse)) == 1


def test_the_database_refuses_a_second_answer_the_check_did_not_see(
    clock, ev_workshop, ev_enroll, db, monkeypatch
):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)
    services.submit(registration, GOOD)
    db.session.commit()
    monkeypatch.setattr(services, "has_answered", lambda registration: False)

    with pytest.raises(AlreadyAnsweredError):
        services.submit(registration, GOOD)
    db.session.commit()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse)) == 1


def test_a_response_names_no_person_and_no_time_and_shares_no_key_with_submissions(
    clock, ev_workshop, ev_answered, db
):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    ev_answered(workshop, 6, clock.now())
    inspector = sa.inspect(db.engine)

    response_columns = {column["name"] for column in inspector.get_columns("evaluation_responses")}
    submission_columns = {
        column["name"] for column in inspector.get_columns("evaluation_submissions")
    }
    response_targets = {
        key["referred_table"] for key in inspector.get_foreign_keys("evaluation_responses")
    }
    ids = db.session.scalars(sa.select(EvaluationResponse.id)).all()
    assert response_columns == {"id", "workshop_id", "language", "answers"}
    assert submission_columns == {"registration_id", "workshop_id"}
    assert response_targets == {"workshops"}
    assert all(len(response_id) >= 20 and not response_id.isdigit() for response_id in ids)
    assert len(set(ids)) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationSubmission)) == 6


def test_an_organizers_item_cannot_be_deleted_once_answered(
    clock, ev_workshop, ev_organizer, ev_answered
):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    item = services.add_item(workshop, EvaluationItemKind.TEXT, "Saran topik?", [], ev_organizer)
    ev_answered(workshop, 1, clock.now())

    with pytest.raises(ItemInUseError):
        services.delete_item(workshop, item.id, ev_organizer)


def test_the_certificate_rule_may_require_the_survey(clock, ev_workshop, ev_enroll, db):
    workshop = ev_workshop(clock.now() - timedelta(hours=1), post_test=False)
    workshop.cert_min_attendance_pct = 0
    workshop.cert_requires_post_test = False
    workshop.cert_requires_evaluation = True
    answered, silent = ev_enroll(workshop), ev_enroll(workshop)
    services.submit(answered, GOOD)

    verdicts = eligibility(workshop)

    assert verdicts[answered.id].eligible
    assert verdicts[silent.id].reasons == ["Belum mengisi evaluasi loka latih"]


def test_a_cancelled_workshop_takes_no_answers(clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1), status=WorkshopStatus.CANCELLED)
    registration = ev_enroll(workshop)

    with pytest.raises(ClosedError):
        services.submit(registration, GOOD)
