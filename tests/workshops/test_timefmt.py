from datetime import datetime

from flask_babel import force_locale

from lokalatih.models import WorkshopSession, WorkshopTimezone
from lokalatih.workshops import timefmt
from tests import factories
from tests.workshops.workshop_helpers import utc


def _session(timezone: WorkshopTimezone, starts_at: datetime, ends_at: datetime) -> WorkshopSession:
    workshop = factories.workshop(timezone=timezone, sessions=[(starts_at, ends_at)], commit=False)
    return workshop.sessions[0]


def test_wall_clock_input_is_stored_as_utc_for_each_zone():
    nine = datetime(2030, 12, 7, 9, 0)

    assert timefmt.to_utc(nine, WorkshopTimezone.WIB) == utc(2030, 12, 7, 2)
    assert timefmt.to_utc(nine, WorkshopTimezone.WITA) == utc(2030, 12, 7, 1)
    assert timefmt.to_utc(nine, WorkshopTimezone.WIT) == utc(2030, 12, 7, 0)
    assert timefmt.to_wall_clock(utc(2030, 12, 7, 0), WorkshopTimezone.WIT) == nine


def test_session_times_in_indonesian_and_english(app):
    session = _session(WorkshopTimezone.WIT, utc(2030, 12, 7, 0), utc(2030, 12, 7, 1, 30))

    with app.test_request_context(), force_locale("id"):
        indonesian = timefmt.session_times(session)
    with app.test_request_context(), force_locale("en"):
        english = timefmt.session_times(session)

    assert indonesian == "Sabtu, 7 Desember 2030, 09.00–10.30 WIT"
    assert english.startswith("Saturday, 7 December 2030, 9:00")
    assert english.endswith("WIT")


def test_a_session_past_midnight_shows_both_days(app):
    session = _session(WorkshopTimezone.WIB, utc(2030, 12, 7, 15), utc(2030, 12, 7, 18))

    with app.test_request_context(), force_locale("id"):
        text = timefmt.session_times(session)

    assert text == "Sabtu, 7 Desember 2030, 22.00 WIB – Minggu, 8 Desember 2030, 01.00 WIB"
