"""An unexpected error: the participant sees a friendly 500 page with an incident code, and the
log holds the traceback under the same code; every response carries its X-Request-Id."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def failing_app(make_app):
    # TESTING off, as in production: the catch-all handler answers instead of re-raising.
    app = make_app(TESTING=False)

    @app.get("/_uji/galat")
    def broken():
        raise RuntimeError("sengaja gagal untuk uji")

    return app


def test_an_unexpected_error_shows_an_incident_code_that_the_log_holds_with_its_traceback(
    failing_app, caplog
):
    with caplog.at_level("ERROR", logger="lokalatih.web"):
        response = failing_app.test_client().get("/_uji/galat")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "sengaja gagal" not in page
    code = re.search(r"Kode kejadian: ([0-9a-f]{12})\.", page).group(1)
    assert response.headers["X-Request-Id"] == code
    [record] = [r for r in caplog.records if code in r.getMessage()]
    assert record.exc_info is not None and "sengaja gagal untuk uji" in str(record.exc_info[1])


def test_every_response_carries_a_request_id_of_its_own(client):
    first, second = client.get("/"), client.get("/")

    assert re.fullmatch(r"[0-9a-f]{12}", first.headers["X-Request-Id"])
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    assert "Kode kejadian" not in first.get_data(as_text=True)
