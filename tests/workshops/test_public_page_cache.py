"""The anonymous catalogue and workshop page: kept per version, 304 for a browser that holds them,
a new page as soon as a workshop, its agenda or its seats change (workshops/page_cache.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from lokalatih.models import Registration, RegistrationStatus, WorkshopSession
from lokalatih.workshops import capacity
from tests.support import recorded_statements
from tests.workshops.workshop_helpers import utc

TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def _conditional(client, url: str, response):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"]})


def test_catalogue_carries_validators_and_answers_304_until_a_workshop_changes(
    db, client, make_workshop
):
    workshop = make_workshop(title="Loka Latih Hak Atas Air")
    first = client.get("/loka-latih")
    assert first.status_code == 200
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "no-cache"

    unchanged = _conditional(client, "/loka-latih", first)
    assert unchanged.status_code == 304
    assert unchanged.get_data() == b""
    since = client.get("/loka-latih", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304

    workshop.title = "Loka Latih Hak Atas Tanah"
    db.session.commit()
    changed = _conditional(client, "/loka-latih", first)

    assert changed.status_code == 200
    assert "Hak Atas Tanah" in changed.get_data(as_text=True)
    assert "Hak Atas Air" not in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_catalogue_shows_a_newly_published_workshop_at_once(client, make_workshop):
    make_workshop(title="Loka Latih Pertama")
    assert "Loka Latih Kedua" not in client.get("/loka-latih").get_data(as_text=True)

    make_workshop(title="Loka Latih Kedua")

    assert "Loka Latih Kedua" in client.get("/loka-latih").get_data(as_text=True)


def test_workshop_page_shows_the_seats_a_registration_took(db, client, make_workshop, make_user):
    workshop = make_workshop(capacity=30)
    url = f"/loka-latih/{workshop.slug}"
    first = client.get(url)
    assert "Sisa 30 kursi dari 30." in first.get_data(as_text=True)
    assert _conditional(client, url, first).status_code == 304

    capacity.lock_seats(workshop)  # what every seat-changing action does first
    db.session.add(
        Registration(workshop=workshop, user=make_user(), status=RegistrationStatus.CONFIRMED)
    )
    db.session.commit()
    after = _conditional(client, url, first)

    assert after.status_code == 200
    assert "Sisa 29 kursi dari 30." in after.get_data(as_text=True)


def test_workshop_page_shows_a_new_session_at_once(db, client, make_workshop):
    workshop = make_workshop()
    url = f"/loka-latih/{workshop.slug}"
    first = client.get(url)
    assert "Sesi Tambahan Tentang Hak Anak" not in first.get_data(as_text=True)

    starts = utc(2030, 12, 9, 2)
    db.session.add(
        WorkshopSession(
            workshop_id=workshop.id,
            title="Sesi Tambahan Tentang Hak Anak",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            position=5,
        )
    )
    db.session.commit()
    after = _conditional(client, url, first)

    assert after.status_code == 200
    assert "Sesi Tambahan Tentang Hak Anak" in after.get_data(as_text=True)


def test_a_kept_page_is_built_without_queries_and_gives_each_visitor_their_own_token(
    db, app, make_workshop
):
    workshop = make_workshop()
    url = f"/loka-latih/{workshop.slug}"
    one, other = app.test_client(), app.test_client()
    page_one = one.get(url).get_data(as_text=True)
    with recorded_statements(db.engine) as statements:
        page_other = other.get(url).get_data(as_text=True)

    # The workshop with its sessions and topics (its version); no seat count, no region.
    assert len(statements) == 3
    tokens = {TOKEN.search(page_one).group(1), TOKEN.search(page_other).group(1)}
    assert len(tokens) == 2 and "" not in tokens
    assert "@@" not in page_other


def test_a_public_page_answers_304_to_its_compressed_etag(client, make_workshop):
    workshop = make_workshop()
    url = f"/loka-latih/{workshop.slug}"
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"

    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )

    assert again.status_code == 304


def test_signed_in_visitors_get_their_own_page_uncached(client, make_workshop, make_user, login_as):
    workshop = make_workshop()
    anonymous = client.get(f"/loka-latih/{workshop.slug}")
    assert "ETag" in anonymous.headers

    user = make_user()
    login_as(user)
    page = client.get(f"/loka-latih/{workshop.slug}", headers={"If-None-Match": "*"})

    assert page.status_code == 200
    assert "ETag" not in page.headers
    assert "Keluar" in page.get_data(as_text=True)
