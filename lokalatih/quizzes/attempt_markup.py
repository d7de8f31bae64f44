"""The attempt page's questions as HTML, built in Python.

The attempt page is the one a whole class loads at the same moment. In Jinja its question loop
(twenty questions, eighty choices, a dozen expressions each) was half of the page's rendering
time (docs/PERFORMANCE.md, issue 21); the same markup built with f-strings costs a tenth of it.
`templates/quizzes/attempt.html` places it. Every text from the bank goes through `escape`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .attempt_views import ItemView


def question_fieldsets(items: list[ItemView]) -> Markup:
    """One fieldset per question: its choices in the attempt's order, the saved answers checked,
    and a save state that `quiz.js` updates. Never a correct key or a mark of correctness."""
    choose_all = escape(_("Pilih semua jawaban yang tepat."))
    saved, unanswered = escape(_("tersimpan")), escape(_("belum dijawab"))
    parts: list[str] = []
    for item in items:
        qid = item.question.id
        kind = item.input_type
        parts.append(
            f'<fieldset class="card" data-question-id="{qid}" aria-describedby="q{qid}-state">\n'
            f"<legend><strong>{item.number}.</strong> {escape(item.question.text)}</legend>\n"
        )
        if kind == "checkbox":
            parts.append(f'<p class="hint">{choose_all}</p>\n')
        for key, text in item.choices:
            field = f"q{qid}-{escape(key)}"
            checked = " checked" if key in item.selected else ""
            parts.append(
                f'<div class="field checkbox"><input type="{kind}" name="q{qid}"'
                f' value="{escape(key)}" id="{field}"{checked}>'
                f' <label for="{field}">{escape(text)}</label></div>\n'
            )
        state = saved if item.selected else unanswered
        parts.append(
            f'<p class="hint" id="q{qid}-state" data-save-state aria-live="polite">{state}</p>\n'
            "</fieldset>\n"
        )
    # Every value above is an int, a fixed word or passed through `escape`.
    return Markup("".join(parts))  # noqa: S704
