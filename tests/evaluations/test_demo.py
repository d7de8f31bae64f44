"""The demo's past workshops come with survey answers, so the results pages have something."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lokalatih.auth.passwords import DEMO_PASSWORD
from lokalatih.models import EvaluationResponse, EvaluationSubmission
from tests.support import login


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_past_workshops_have_survey_answers_once(app, db, client, consent_version):
    runner = app.test_cli_runner()

    runner.invoke(args=["demo", "load"])
    responses = _count(db, EvaluationResponse)
    again = runner.invoke(args=["demo", "load"])
    login(client, "peninjau@demo.lokalatih.example.org", DEMO_PASSWORD)
    html = client.get("/laporan").get_data(as_text=True)

    assert responses > 100
    assert _count(db, EvaluationSubmission) == responses == _count(db, EvaluationResponse)
    assert "Survey answers" not in again.output
    workshops = re.search(r"Pernyataan baku dari (\d+) loka latih", html)
    assert workshops is not None and int(workshops.group(1)) >= 1
