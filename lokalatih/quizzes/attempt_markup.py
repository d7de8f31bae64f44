"""The attempt page's questions as HTML, built in Python.

The attempt page is the one a whole class loads at the same moment. In Jinja its question loop
(twenty questions, eighty choices, a dozen expressions each) was half of the page's rendering
time (docs/PERFORMANCE.md, issue 21); the same markup built with f-strings costs a tenth of it.
Each question's escaped pieces are kept per process, keyed by everything they are made of, so a
page only joins them in the attempt's order and marks the saved answers.
`templates/quizzes/attempt.html` places it. Every text from the bank goes through `escape`.
"""

from __future__ import annotations

import functools

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .attempt_views import ItemView


@functools.lru_cache(maxsize=4096)
def _question_pieces(
    question_id: int, input_type: str, text: str, choices: tuple[tuple[str, str], ...]
) -> tuple[str, dict[str, tuple[str, str]]]:
    """The escaped question text, and for each choice key its input up to where `checked` goes
    and the rest. A question edited in the bank is a new key, so it is never shown stale."""
    pieces = {}
    for key, choice_text in choices:
        field = f"q{question_id}-{escape(key)}"
        pieces[key] = (
            f'<div class="field checkbox"><input type="{input_type}" name="q{question_id}"'
            f' value="{escape(key)}" id="{field}"',
            f'> <label for="{field}">{escape(choice_text)}</label></div>\n',
        )
    return str(escape(text)), pieces


def question_fieldsets(items: list[ItemView]) -> Markup:
    """One fieldset per question: its choices in the attempt's order, the saved answers checked,
    and a save state that `quiz.js` updates. Never a correct key or a mark of correctness."""
    choose_all = escape(_("Pilih semua jawaban yang tepat."))
    saved, unanswered = escape(_("tersimpan")), escape(_("belum dijawab"))
    parts: list[str] = []
    for item in items:
        question = item.question
        qid = question.id
        kind = item.input_type
        text, pieces = _question_pieces(
            qid,
            kind,
            question.text,
            tuple((choice["key"], choice["text"]) for choice in question.choices),
        )
        parts.append(
            f'<fieldset class="card" data-question-id="{qid}" aria-describedby="q{qid}-state">\n'
            f"<legend><strong>{item.number}.</strong> {text}</legend>\n"
        )
        if kind == "checkbox":
            parts.append(f'<p class="hint">{choose_all}</p>\n')
        for key, _text in item.choices:
            before, after = pieces[key]
            parts.append(before)
            if key in item.selected:
                parts.append(" checked")
            parts.append(after)
        state = saved if item.selected else unanswered
        parts.append(
            f'<p class="hint" id="q{qid}-state" data-save-state aria-live="polite">{state}</p>\n'
            "</fieldset>\n"
        )
    # Every value above is an int, a fixed word or passed through `escape`.
    return Markup("".join(parts))  # noqa: S704
