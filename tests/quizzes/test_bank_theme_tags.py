"""KKPHAM theme tags on the bank question form."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lokalatih.models import Question, Role, Theme
from tests.quizzes.test_bank_pages import question_form


def _theme(db, code: str) -> Theme:
    return db.session.scalar(sa.select(Theme).where(Theme.code == code))


def test_a_question_is_tagged_then_retagged_through_the_form(db, client, login_as, make_user):
    login_as(make_user("admin-bank@contoh.id", role=Role.ADMIN))
    women, health = _theme(db, "perempuan_anak"), _theme(db, "kesehatan")

    assert "Hak perempuan dan anak" in client.get("/bank-soal/baru").get_data(as_text=True)
    response = client.post("/bank-soal/baru", data=question_form(themes=[str(women.id)]))
    assert response.status_code == 302
    question = db.session.scalar(sa.select(Question))
    assert [t.code for t in question.themes] == ["perempuan_anak"]

    page = client.get(f"/bank-soal/{question.id}/ubah").get_data(as_text=True)
    ticked = re.search(rf'<input[^>]*value="{women.id}"[^>]*>', page).group(0)
    assert "checked" in ticked
    client.post(f"/bank-soal/{question.id}/ubah", data=question_form(themes=[str(health.id)]))

    db.session.expire_all()
    assert [t.code for t in db.session.get(Question, question.id).themes] == ["kesehatan"]
