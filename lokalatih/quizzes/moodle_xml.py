"""Moodle XML (the question bank's "Moodle XML format" export and import): parse and write.

Parsing is safe for an upload: the file must be UTF-8 and at most MAX_BYTES, and a DOCTYPE is
refused before the parser sees it, so no entity (external or recursive) is ever defined or read.
Moodle's own exports carry no DOCTYPE.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405  (DOCTYPE refused before parsing, see parse)
from collections.abc import Sequence

from flask_babel import gettext as _

from ..models import QuestionKind
from . import bank
from .errors import ImportFileError
from .interchange import (
    MAX_BYTES,
    MAX_QUESTIONS,
    Parsed,
    Skipped,
    category_of_topic,
    choices_and_keys,
    feedback_text,
    html_to_text,
    multiple_fractions,
    question_name,
    skip_reason,
    split_source,
    text_to_html,
    tidy_lines,
    too_many_choices,
    topic_from_category,
)

DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
SUPPORTED = {"multichoice", "truefalse"}


# --- parse ---------------------------------------------------------------------------------------


def parse(data: bytes) -> Parsed:
    """The questions of a Moodle XML file; ImportFileError when the file cannot be read."""
    root = _root(data)
    parsed = Parsed()
    topic = ""
    number = 0
    for element in root.findall("question"):
        kind = (element.get("type") or "").strip().lower()
        if kind == "category":
            topic = topic_from_category(_text_of(element.find("category")))
            continue
        number += 1
        if number > MAX_QUESTIONS:
            raise ImportFileError(
                _(
                    "Berkas berisi lebih dari %(max)d soal. Bagi ke beberapa berkas.",
                    max=MAX_QUESTIONS,
                )
            )
        name = tidy_lines(_text_of(element.find("name"))) or question_name(
            _formatted(element.find("questiontext"))
        )
        if kind not in SUPPORTED:
            parsed.skipped.append(Skipped(number, name, kind or "?", skip_reason(kind)))
            continue
        answers = element.findall("answer")
        if len(answers) > len(bank.KEYS):
            parsed.skipped.append(Skipped(number, name, kind, too_many_choices(len(answers))))
            continue
        data_ = _question(element, kind, topic)
        data_.row = number
        parsed.questions.append(data_)
    return parsed


def _root(data: bytes) -> ET.Element:
    unreadable = _("Berkas bukan Moodle XML yang dapat dibaca: %(reason)s")
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Berkas lebih besar dari 2 MB. Bagi soal ke beberapa berkas."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Berkas XML harus memakai pengodean UTF-8.")) from None
    if not text.strip():
        raise ImportFileError(_("Berkas kosong."))
    if DOCTYPE.search(text):
        raise ImportFileError(
            unreadable % {"reason": _("deklarasi DOCTYPE atau ENTITY tidak diterima.")}
        )
    try:
        root = ET.fromstring(text)  # noqa: S314  (no DOCTYPE, so no entity can be declared)
    except ET.ParseError as error:
        line, column = error.position
        where = _("baris %(line)d, kolom %(column)d", line=line, column=column + 1)
        raise ImportFileError(unreadable % {"reason": where}) from None
    if root.tag != "quiz":
        raise ImportFileError(unreadable % {"reason": _("elemen teratas harus <quiz>.")})
    return root


def _text_of(element: ET.Element | None) -> str:
    if element is None:
        return ""
    inner = element.find("text")
    return (inner.text or "") if inner is not None else ""


def _formatted(element: ET.Element | None) -> str:
    """The text of a <questiontext>, <answer> or <feedback> as plain text, by its format."""
    if element is None:
        return ""
    raw = _text_of(element)
    fmt = (element.get("format") or "html").strip().lower()
    if fmt == "html":
        return html_to_text(raw)
    if fmt == "moodle_auto_format" and re.search(r"<[a-zA-Z/]", raw):
        return html_to_text(raw.replace("\n", "<br>"))
    return tidy_lines(raw)  # plain_text and markdown stay as written


def _fraction(answer: ET.Element) -> float:
    try:
        return float(answer.get("fraction") or 0)
    except ValueError:
        return 0.0


def _question(element: ET.Element, kind: str, topic: str) -> bank.QuestionData:
    answers = [(answer, _fraction(answer)) for answer in element.findall("answer")]
    explanation, source = split_source(_formatted(element.find("generalfeedback")))
    if kind == "truefalse":
        # Answers say "true" and "false"; an old export wrote them translated, true first
        # (Moodle's importer falls back to that order too).
        full = set()
        for position, (answer, fraction) in enumerate(answers):
            word = _formatted(answer).lower()
            is_true = word == "true" if word in ("true", "false") else position == 0
            if fraction >= 100:
                full.add("a" if is_true else "b")
        right = [a for a, fraction in answers if fraction >= 100]
        choices = list(bank.TRUE_FALSE_CHOICES.values())
        correct = "a" if "a" in full else ("b" if "b" in full else "")
        result_kind = QuestionKind.TRUE_FALSE
    else:
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        pairs = [(_formatted(a), fraction) for a, fraction in answers]
        choices, correct = choices_and_keys(pairs, single=single)
        right = [a for a, fraction in answers if fraction >= 100 or (not single and fraction > 0)]
        result_kind = QuestionKind.SINGLE if single else QuestionKind.MULTIPLE
    if not explanation:
        # No general feedback: the feedback of the right answer(s) explains the question.
        feedback = [_formatted(a.find("feedback")) for a in right]
        explanation = "\n".join(text for text in feedback if text)
    return bank.question_data(
        topic=topic,
        kind=result_kind,
        text=_formatted(element.find("questiontext")),
        choices=choices,
        correct_keys=correct,
        explanation=explanation,
        source=source,
    )


# --- write ---------------------------------------------------------------------------------------


def _text_element(parent: ET.Element, tag: str, text: str, *, fmt: str | None = "html"):
    element = ET.SubElement(parent, tag)
    if fmt:
        element.set("format", fmt)
    ET.SubElement(element, "text").text = text_to_html(text) if fmt == "html" else text
    return element


def write(questions: Sequence[bank.QuestionData]) -> bytes:
    """A Moodle XML file: a category per topic, then its questions (in the order given)."""
    root = ET.Element("quiz")
    by_topic: dict[str, list[bank.QuestionData]] = {}
    for data in questions:
        by_topic.setdefault(data.topic, []).append(data)
    for topic, items in by_topic.items():
        category = ET.SubElement(root, "question", type="category")
        _text_element(category, "category", category_of_topic(topic), fmt=None)
        for data in items:
            root.append(_question_element(data))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _question_element(data: bank.QuestionData) -> ET.Element:
    kind = QuestionKind(data.kind)
    moodle_type = "truefalse" if kind is QuestionKind.TRUE_FALSE else "multichoice"
    element = ET.Element("question", type=moodle_type)
    _text_element(element, "name", question_name(data.text), fmt=None)
    _text_element(element, "questiontext", data.text)
    _text_element(element, "generalfeedback", feedback_text(data.explanation, data.source))
    ET.SubElement(element, "defaultgrade").text = "1"
    ET.SubElement(element, "penalty").text = "0" if moodle_type == "truefalse" else "0.3333333"
    ET.SubElement(element, "hidden").text = "0"
    if kind is QuestionKind.TRUE_FALSE:
        for key, word in (("a", "true"), ("b", "false")):
            fraction = "100" if key in data.correct_keys else "0"
            answer = ET.SubElement(
                element, "answer", fraction=fraction, format="moodle_auto_format"
            )
            ET.SubElement(answer, "text").text = word
            _text_element(answer, "feedback", "")
        return element
    ET.SubElement(element, "single").text = "true" if kind is QuestionKind.SINGLE else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    keys = [key for key in bank.KEYS if key in data.choices]
    if kind is QuestionKind.SINGLE:
        fractions = {key: "100" if key in data.correct_keys else "0" for key in keys}
    else:
        fractions = multiple_fractions(data.correct_keys, keys)
    for key in keys:
        answer = ET.SubElement(element, "answer", fraction=fractions[key], format="html")
        ET.SubElement(answer, "text").text = text_to_html(data.choices[key])
        _text_element(answer, "feedback", "")
    return element
