"""The page "Loka latih saya" is read in batches: its statement count does not grow with rows."""

from __future__ import annotations

import pytest

from lokalatih.models import RegistrationStatus
from lokalatih.my_workshops.read_model import my_workshops
from tests.my_workshops.fixtures import registrations_for
from tests.support import PASSWORD, recorded_statements

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


def _page_statements(app, db, email: str) -> tuple[int, str]:
    """The statements of one GET of the page by a logged-in `email`, nothing preloaded."""
    client = app.test_client()
    client.post("/masuk", data={"email": email, "password": PASSWORD})
    db.session.expunge_all()
    with recorded_statements(db.engine) as statements:
        response = client.get("/workshop-saya")
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.fixture
def participant(make_user):
    return lambda: make_user(complete_profile=True)


def test_the_rows_show_what_each_feature_knows(db, clock, participant):
    person = participant()
    registrations_for(db, person, 3)

    rows = my_workshops(person)

    waitlisted = next(row for row in rows if row.registration.status == WAITLISTED)
    assert waitlisted.position == 2 and waitlisted.quiz_links == []
    confirmed = [row for row in rows if row.registration.status == CONFIRMED]
    assert len(confirmed) == 2
    for row in confirmed:
        assert [link.state for link in row.quiz_links] == ["done", "upcoming"]
        assert (row.attendance.attended, row.attendance.total) == (1, 2)
        assert [item.action for item in row.plan.items] == ["Sosialisasi HAM di kantor"]
    assert sum(row.certificate is not None for row in rows) == 1


def test_the_page_costs_as_many_statements_for_8_registrations_as_for_2(
    app, db, clock, participant
):
    few, many = participant(), participant()
    registrations_for(db, few, 2)
    registrations_for(db, many, 8)
    emails = few.email, many.email

    few_count, few_page = _page_statements(app, db, emails[0])
    many_count, many_page = _page_statements(app, db, emails[1])

    assert many_page.count('class="card"') == 8 and few_page.count('class="card"') == 2
    assert "Daftar tunggu (urutan ke-2)" in many_page
    assert many_page.count("Kehadiran: 1 dari 2 sesi") == 7
    assert "Unduh sertifikat (PDF)" in many_page
    assert many_count == few_count
