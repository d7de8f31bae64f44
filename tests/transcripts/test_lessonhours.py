"""JP arithmetic: the default from a session's length, rounding down to a half, the organizer's
edits, and attended JP per participant per year in the workshop's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lokalatih import lessonhours
from lokalatih.models import WorkshopStatus, WorkshopTimezone
from lokalatih.workshops import agenda
from lokalatih.workshops.errors import SessionJpOutOfRangeError

MONDAY = datetime(2026, 3, 2, 9, 0)  # a wall-clock time in the workshop's zone


@pytest.mark.parametrize(
    ("minutes", "halves"),
    [
        (45, 2),  # 1 JP
        (90, 4),  # 2 JP
        (100, 4),  # 2.22 JP -> 2
        (112, 4),  # 2.49 JP -> 2
        (113, 5),  # 2.51 JP -> 2.5
        (120, 5),  # 2.67 JP -> 2.5
        (22, 0),  # under half a JP: none
        (23, 1),  # 0.51 JP -> 0.5
        (8 * 60, 21),  # a full day: 10.67 JP -> 10.5
    ],
)
def test_the_default_is_the_length_over_45_minutes_rounded_down_to_a_half(minutes, halves):
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

    assert lessonhours.default_halves(start, start + timedelta(minutes=minutes)) == halves


def test_formatting_follows_the_language():
    assert lessonhours.format_jp(5, "id") == "2,5"
    assert lessonhours.format_jp(5, "en") == "2.5"
    assert lessonhours.format_jp(4, "id") == "2"
    assert lessonhours.as_number(5) == 2.5 and lessonhours.as_number(4) == 2


def test_a_session_takes_its_default_until_the_organizer_sets_one(db, jp_workshop):
    workshop = jp_workshop([(MONDAY, 120, None), (MONDAY + timedelta(hours=3), 90, 6)])
    default, edited = workshop.sessions

    assert lessonhours.session_halves(default) == 5  # 120 min -> 2.5 JP
    assert lessonhours.session_halves(edited) == 6  # set to 3 JP, though 90 min would give 2
    assert lessonhours.workshop_halves(workshop) == 11


def test_editing_a_session_stores_its_jp_and_blank_goes_back_to_the_default(app, db, jp_workshop):
    workshop = jp_workshop([(MONDAY, 120, None)], status=WorkshopStatus.DRAFT)
    session = workshop.sessions[0]
    data = agenda.SessionData(
        title=session.title,
        speakers="",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=None,
        jp_halves=7,
    )

    agenda.update_session(session, data)
    assert lessonhours.session_halves(session) == 7

    data.jp_halves = None
    data.ends_at = session.starts_at + timedelta(minutes=45)
    agenda.update_session(session, data)
    assert session.jp_halves is None
    assert lessonhours.session_halves(session) == 2  # follows the new length


def test_an_edit_beyond_a_long_day_is_refused(app, db, jp_workshop):
    workshop = jp_workshop([(MONDAY, 120, None)], status=WorkshopStatus.DRAFT)
    session = workshop.sessions[0]
    data = agenda.SessionData(
        title="Sesi",
        speakers="",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=None,
        jp_halves=2 * lessonhours.MAX_SESSION_JP + 1,
    )

    with pytest.raises(SessionJpOutOfRangeError):
        agenda.update_session(session, data)


def test_attended_jp_is_the_sum_over_the_sessions_checked_in_to(db, jp_workshop, jp_participant):
    workshop = jp_workshop(
        [
            (MONDAY, 120, None),
            (MONDAY + timedelta(hours=3), 90, None),
            (MONDAY + timedelta(days=1), 45, 3),
        ]
    )
    everything = jp_participant(workshop, [0, 1, 2])
    first_and_last = jp_participant(workshop, [0, 2])
    nothing = jp_participant(workshop, [])

    attended = lessonhours.attended_halves(workshop)

    assert attended[everything.id].halves == 5 + 4 + 3
    assert attended[first_and_last.id].halves == 5 + 3
    assert attended[nothing.id].halves == 0


def test_a_session_at_31_december_23_00_wit_counts_in_that_year(db, jp_workshop, jp_participant):
    """23:00 WIT is 14:00 UTC: the same day; and 00:30 WIB on 1 January is still 31 December in
    UTC, yet counts in the new year. The workshop's zone decides, never UTC."""
    papua = jp_workshop([(datetime(2026, 12, 31, 23, 0), 45, None)], timezone=WorkshopTimezone.WIT)
    jakarta = jp_workshop(
        [(datetime(2026, 12, 31, 22, 0), 90, None), (datetime(2027, 1, 1, 0, 30), 90, None)],
        timezone=WorkshopTimezone.WIB,
    )
    in_papua = jp_participant(papua, [0])
    in_jakarta = jp_participant(jakarta, [0, 1])

    assert lessonhours.attended_of(in_papua).by_year == {2026: 2}
    assert jakarta.sessions[1].starts_at.astimezone(UTC).year == 2026
    assert lessonhours.attended_of(in_jakarta).by_year == {2026: 4, 2027: 4}


def test_without_session_jp_the_workshop_figure_is_the_fallback(db, jp_workshop, jp_participant):
    workshop = jp_workshop([(MONDAY, 20, None)], training_hours=8)  # 20 min: no JP of its own
    came = jp_participant(workshop, [0])
    stayed_away = jp_participant(workshop, [])

    assert lessonhours.workshop_halves(workshop) == 16
    assert lessonhours.attended_of(came).halves == 16
    assert lessonhours.attended_of(stayed_away).halves == 0
