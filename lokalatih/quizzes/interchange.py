"""What the Moodle XML and GIFT parsers and writers share: the parsed file, the text conversions.

A parser returns the questions the bank can hold as `bank.QuestionData` (its `row` is the
question's number in the file, categories not counted) and every other question as a `Skipped`
with the reason. A question is either imported whole or listed: never half of one.

Text. The bank stores plain text; Moodle stores HTML. HTML becomes text as a browser shows it
(tags dropped, entities read, <br> and paragraphs become line breaks); the writers turn each line
break into <br>, so an export re-imports unchanged.

Source. Moodle has no field for the article or regulation a question rests on. The writers put it
as the last paragraph of the general feedback, "Sumber: …", which Moodle shows to learners, and
the parsers read it back from there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask_babel import lazy_gettext as _l

from . import bank

# An uploaded Moodle XML or GIFT file: at most this many bytes and questions.
MAX_BYTES = 2 * 1024 * 1024
MAX_QUESTIONS = 5000
SOURCE_PREFIX = "Sumber:"
TOP = "$course$/top"
NAME_MAX = 60
BLOCKS = {
    "address", "blockquote", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "table", "tr", "ul",
}  # fmt: skip
LINE, PARAGRAPH = "\x01", "\x02"  # block boundaries, merged after parsing
BOUNDARIES = re.compile("[\x01\x02]+(?:[ ]*[\x01\x02]+)*")
DROPPED = {"script", "style", "head", "title"}

# Why each Moodle question type the bank cannot hold is skipped (the bank holds single choice,
# multiple answers and true/false, scored right or wrong).
SKIP_REASONS = {
    "essay": _l("Esai dinilai dengan membaca jawaban bebas; bank soal hanya memuat soal pilihan."),
    "matching": _l("Soal menjodohkan belum didukung bank soal."),
    "numerical": _l("Soal jawaban angka belum didukung bank soal."),
    "shortanswer": _l("Soal isian singkat belum didukung bank soal."),
    "cloze": _l("Soal cloze (beberapa isian dalam satu teks) belum didukung bank soal."),
    "multianswer": _l("Soal cloze (beberapa isian dalam satu teks) belum didukung bank soal."),
    "description": _l("Deskripsi hanyalah teks tanpa pertanyaan."),
}
OTHER_REASON = _l("Jenis soal Moodle ini belum didukung bank soal.")
TOO_MANY_CHOICES = _l(
    "Soal ini punya %(count)d pilihan; bank soal menampung paling banyak %(max)d."
)


@dataclass(frozen=True)
class Skipped:
    """A question of a type the bank does not hold, or one that cannot be taken over whole."""

    number: int
    name: str
    kind: str
    reason: str


@dataclass
class Parsed:
    questions: list[bank.QuestionData] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def skip_reason(kind: str) -> str:
    return str(SKIP_REASONS.get(kind, OTHER_REASON))


def too_many_choices(count: int) -> str:
    return str(TOO_MANY_CHOICES) % {"count": count, "max": len(bank.KEYS)}


# --- text ----------------------------------------------------------------------------------------


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append(PARAGRAPH if tag == "p" else LINE)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self.dropping = max(self.dropping - 1, 0)
        elif tag in BLOCKS:
            self.parts.append(PARAGRAPH if tag == "p" else LINE)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            # Line breaks in the source are spaces on the page, as in a browser.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(markup: str) -> str:
    """The text a browser shows for `markup`, one paragraph break at most between lines."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    joined = BOUNDARIES.sub(_boundary, "".join(parser.parts))
    return tidy_lines(joined.replace("\xa0", " "))


def _boundary(match: re.Match) -> str:
    # Where blocks meet (</div><ul>) there is one line break; a paragraph leaves an empty line.
    return "\n\n" if PARAGRAPH in match.group(0) else "\n"


def tidy_lines(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_to_html(text: str) -> str:
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def question_name(text: str) -> str:
    """A short name for a question (Moodle requires one; the bank has none)."""
    first = " ".join(text.split())
    return first if len(first) <= NAME_MAX else first[: NAME_MAX - 1].rstrip() + "…"


# --- feedback and source -------------------------------------------------------------------------


def feedback_text(explanation: str, source: str) -> str:
    return f"{explanation}\n\n{SOURCE_PREFIX} {source}" if source else explanation


def split_source(feedback: str) -> tuple[str, str]:
    """(explanation, source) from a general feedback whose last line may be "Sumber: …"."""
    head, _sep, last = feedback.rpartition("\n")
    candidate = last if _sep else feedback
    if candidate.strip().lower().startswith(SOURCE_PREFIX.lower()):
        return head.strip(), candidate.strip()[len(SOURCE_PREFIX) :].strip()
    return feedback.strip(), ""


# --- categories ----------------------------------------------------------------------------------


def topic_from_category(path: str) -> str:
    """The last level of a Moodle category path ("$course$/top/HAM/DUHAM" -> "DUHAM").

    Moodle writes a "/" inside a category name as "//"."""
    levels = [level.replace("\x00", "/").strip() for level in path.replace("//", "\x00").split("/")]
    levels = [level for level in levels if level and not level.startswith("$")]
    if levels and levels[0].lower() == "top":
        levels = levels[1:]
    return levels[-1] if levels else ""


def category_of_topic(topic: str) -> str:
    return f"{TOP}/{topic.replace('/', '//')}"


def choices_and_keys(answers: list[tuple[str, float]], *, single: bool) -> tuple[list[str], str]:
    """Choice texts in order and the correct keys: a single-choice question's full-mark answers,
    a multiple-answer question's answers worth anything."""
    texts = [text for text, _fraction in answers]
    if single:
        correct = [key for key, (_t, f) in zip(bank.KEYS, answers, strict=False) if f >= 100]
    else:
        correct = [key for key, (_t, f) in zip(bank.KEYS, answers, strict=False) if f > 0]
    return texts, ",".join(correct)


def multiple_fractions(correct: list[str], keys: list[str]) -> dict[str, str]:
    """Moodle grades for a multiple-answer question: the right ones share 100%, a wrong one
    takes 100% away (Moodle clamps the total at zero), so only the exact set earns full marks
    as in the bank. 100/n for n up to 6 is one of Moodle's listed grades."""
    share = f"{100 / len(correct):.5f}".rstrip("0").rstrip(".") if correct else "0"
    return {key: share if key in correct else "-100" for key in keys}
