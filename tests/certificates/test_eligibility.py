"""Who has earned a certificate: attendance at the threshold, the post-test and its score."""

from __future__ import annotations

from lokalatih.certificates.eligibility import eligibility
from lokalatih.models import RegistrationStatus
from tests.certificates.fixtures import NO_ATTEMPT
from tests.support import recorded_statements


def test_four_of_five_sessions_is_eighty_percent_and_eligible(cert_workshop, cert_participant):
    workshop = cert_workshop(sessions=5, min_pct=80)
    registration = cert_participant(workshop, attended=4)

    verdict = eligibility(workshop)[registration.id]

    assert verdict.eligible
    assert verdict.reasons == []
    assert (verdict.attended, verdict.total) == (4, 5)


def test_three_of_four_sessions_is_seventy_five_percent_and_not_eligible(
    cert_workshop, cert_participant
):
    workshop = cert_workshop(sessions=4, min_pct=80)
    registration = cert_participant(workshop, attended=3)

    verdict = eligibility(workshop)[registration.id]

    assert not verdict.eligible
    assert verdict.reasons == ["Hadir 3 dari 4 sesi (75%), minimal 80%"]


def test_just_below_the_threshold_is_decided_exactly_and_shown_rounded_down(
    cert_workshop, cert_participant
):
    # 79 of 100 would need a hundred sessions; 3 of 4 with a minimum of 76 is as sharp:
    # 75% < 76%, and 2 of 3 (66.67%) against 67% must not pass by rounding.
    workshop = cert_workshop(sessions=3, min_pct=67)
    registration = cert_participant(workshop, attended=2)

    verdict = eligibility(workshop)[registration.id]

    assert not verdict.eligible
    assert verdict.reasons == ["Hadir 2 dari 3 sesi (66%), minimal 67%"]


def test_a_missing_post_test_is_a_reason(cert_workshop, cert_participant):
    workshop = cert_workshop()
    never_started = cert_participant(workshop, score=NO_ATTEMPT)
    not_submitted = cert_participant(workshop, score=None)

    verdicts = eligibility(workshop)

    for registration in (never_started, not_submitted):
        assert not verdicts[registration.id].eligible
        assert verdicts[registration.id].reasons == ["Belum mengirim pasca-tes"]
        assert verdicts[registration.id].post_score is None


def test_a_score_below_the_minimum_is_a_reason_and_the_minimum_itself_passes(
    cert_workshop, cert_participant
):
    workshop = cert_workshop(min_score=70)
    below = cert_participant(workshop, score=55.0)
    at_minimum = cert_participant(workshop, score=70.0)

    verdicts = eligibility(workshop)

    assert verdicts[below.id].reasons == ["Nilai pasca-tes 55, minimal 70"]
    assert verdicts[at_minimum.id].eligible
    assert verdicts[at_minimum.id].post_score == 70.0


def test_without_a_post_test_quiz_nobody_is_eligible_when_the_rule_requires_one(
    cert_workshop, cert_participant
):
    workshop = cert_workshop(post_test=False)
    registration = cert_participant(workshop)

    verdict = eligibility(workshop)[registration.id]

    assert not verdict.eligible
    assert verdict.reasons == ["Loka latih ini belum memiliki pasca-tes"]


def test_without_the_post_test_requirement_attendance_alone_decides(
    cert_workshop, cert_participant
):
    workshop = cert_workshop(post_test=False, requires_post_test=False)
    registration = cert_participant(workshop, attended=5)

    assert eligibility(workshop)[registration.id].eligible


def test_all_reasons_are_listed_together(cert_workshop, cert_participant):
    workshop = cert_workshop(sessions=5)
    registration = cert_participant(workshop, attended=0, score=NO_ATTEMPT)

    verdict = eligibility(workshop)[registration.id]

    assert verdict.reasons == [
        "Hadir 0 dari 5 sesi (0%), minimal 80%",
        "Belum mengirim pasca-tes",
    ]


def test_only_confirmed_registrations_are_judged(cert_workshop, cert_participant):
    workshop = cert_workshop()
    confirmed = cert_participant(workshop)
    waitlisted = cert_participant(workshop, status=RegistrationStatus.WAITLISTED)

    verdicts = eligibility(workshop)

    assert set(verdicts) == {confirmed.id}
    assert waitlisted.id not in verdicts


def test_check_ins_in_another_workshop_do_not_count(cert_workshop, cert_participant):
    workshop, other = cert_workshop(sessions=5), cert_workshop(sessions=5)
    registration = cert_participant(workshop, attended=3)
    cert_participant(other, attended=5)

    assert eligibility(workshop)[registration.id].attended == 3


def test_the_whole_workshop_is_judged_in_a_few_queries(db, cert_workshop, cert_participant):
    workshop = cert_workshop()
    for attended in range(6):
        cert_participant(workshop, attended=attended)
    db.session.refresh(workshop)
    with recorded_statements(db.engine) as statements:
        verdicts = eligibility(workshop)

    assert len(verdicts) == 6
    assert len(statements) <= 5
