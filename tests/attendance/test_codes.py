"""Rotating codes: six characters, a new one every 30 seconds, an old one good for 60 more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lokalatih.attendance import codes
from lokalatih.attendance.codes import CodeStatus

# The start of a time step: 2026-12-07 01:00:00 UTC is a multiple of 30 seconds.
STEP_START = datetime(2026, 12, 7, 1, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return STEP_START + timedelta(seconds=seconds)


def test_the_code_stays_for_30_seconds_then_changes(make_workshop):
    session = make_workshop().sessions[0]

    shown = [codes.current_code(session, at(s)) for s in (0, 15, 29.9, 30, 59.9, 60)]

    assert shown[0] == shown[1] == shown[2]
    assert shown[3] == shown[4]
    assert len({shown[0], shown[3], shown[5]}) == 3


def test_codes_are_six_characters_without_look_alikes(make_workshop):
    session = make_workshop().sessions[0]

    shown = {codes.current_code(session, at(30 * step)) for step in range(300)}

    assert all(len(code) == 6 for code in shown)
    assert not set("".join(shown)) & set("0OQD1IL2Z5S6G8BUV")
    assert len(shown) > 290  # practically never repeats


def test_an_old_code_is_accepted_up_to_60_seconds_after_it_rotated(make_workshop):
    session = make_workshop().sessions[0]
    code = codes.current_code(session, at(0))  # replaced at 30 s

    assert codes.verify_code(session, code, at(29))
    assert codes.verify_code(session, code, at(31))
    assert codes.verify_code(session, code, at(89))
    assert codes.verify_code(session, code, at(90))  # exactly 60 s after it rotated


def test_an_old_code_is_refused_as_expired_after_those_60_seconds(make_workshop):
    session = make_workshop().sessions[0]
    code = codes.current_code(session, at(0))

    assert not codes.verify_code(session, code, at(91))
    assert codes.classify_code(session, code, at(91)) is CodeStatus.EXPIRED
    assert codes.classify_code(session, code, at(3600)) is CodeStatus.EXPIRED


def test_a_code_of_the_next_step_is_not_accepted_early(make_workshop):
    session = make_workshop().sessions[0]
    next_code = codes.current_code(session, at(30))

    assert codes.classify_code(session, next_code, at(10)) is CodeStatus.INVALID


def test_another_sessions_code_is_invalid_here(make_workshop):
    now = datetime.now(UTC)
    first, second = make_workshop(
        [(now, now + timedelta(hours=1)), (now, now + timedelta(hours=2))]
    ).sessions

    assert codes.classify_code(first, codes.current_code(second, now), now) is CodeStatus.INVALID
    assert codes.verify_code(first, codes.current_code(first, now), now)


def test_typed_codes_are_normalised_to_upper_case_without_spaces_or_hyphens(make_workshop):
    session = make_workshop().sessions[0]
    code = codes.current_code(session, at(0))
    typed = f" {code[:3].lower()}-{code[3:]} "

    assert codes.verify_code(session, typed, at(5))
    assert codes.display_code(code) == f"{code[:3]} {code[3:]}"


def test_garbage_is_invalid_rather_than_an_error(make_workshop):
    session = make_workshop().sessions[0]

    for typed in ("", "ABC", "0000000", "ÄÖÜ123", "x" * 500):
        assert codes.classify_code(session, typed, at(0)) is CodeStatus.INVALID


def test_the_code_depends_on_the_application_secret(app, make_workshop):
    session = make_workshop().sessions[0]
    before = codes.current_code(session, at(0))

    app.config["SECRET_KEY"] = "another-deployment"

    assert codes.current_code(session, at(0)) != before


def test_seconds_left_counts_down_to_the_next_code():
    assert codes.seconds_left(at(0)) == 30
    assert codes.seconds_left(at(29.5)) == 1
    assert codes.seconds_left(at(30)) == 30
