"""GIFT, Moodle's plain-text question format: parse and write.

One question per block of lines (blocks are separated by blank lines); "//" starts a comment line;
"$CATEGORY: path" sets the topic of the questions after it. A question is
"::name:: [format] text {answers}", and ~ = # { } : are written \\~ \\= \\# \\{ \\} \\: in text,
a line break \\n. The answer block decides the type, as Moodle's importer does: {} essay, {#…}
numerical, {T}/{F} true/false, "a -> b" matching, any ~ multiple choice (single when one answer
starts with =, else multiple answers by their %weight%), else short answer. Text after the answer
block makes a "missing word" question: the block stands for the blank "_____".
"""

from __future__ import annotations

import re
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

SPECIAL = "~=#{}:"
BLANK = "_____"
TRUE_FALSE = ("T", "TRUE", "F", "FALSE")  # upper case only, as Moodle reads them
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


# --- parse ---------------------------------------------------------------------------------------


def parse(data: bytes) -> Parsed:
    """The questions of a GIFT file; ImportFileError when the file cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Berkas lebih besar dari 2 MB. Bagi soal ke beberapa berkas."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Berkas GIFT harus memakai pengodean UTF-8.")) from None
    if not text.strip():
        raise ImportFileError(_("Berkas kosong."))
    parsed = Parsed()
    topic = ""
    number = 0
    for first_line, block in _blocks(text):
        if block.startswith("$CATEGORY:"):
            head, _sep, block = block.partition("\n")
            topic = topic_from_category(head[len("$CATEGORY:") :])
            block = block.strip()
            if not block:
                continue
        number += 1
        if number > MAX_QUESTIONS:
            raise ImportFileError(
                _(
                    "Berkas berisi lebih dari %(max)d soal. Bagi ke beberapa berkas.",
                    max=MAX_QUESTIONS,
                )
            )
        item = _question(block, topic, number, first_line)
        if isinstance(item, Skipped):
            parsed.skipped.append(item)
        else:
            item.row = number
            parsed.questions.append(item)
    return parsed


def _blocks(text: str):
    """(first line number, text) of each block of non-comment lines."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.lstrip().startswith("//"):
            continue
        if line.strip():
            if not lines:
                start = number
            lines.append(line.rstrip())
        elif lines:
            yield start, "\n".join(lines).strip()
            lines = []
    if lines:
        yield start, "\n".join(lines).strip()


def _find(text: str, target: str, start: int = 0) -> int:
    """The index of the first unescaped `target` at or after `start`, or -1."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(target, index):
            return index
        index += 1
    return -1


def _split(text: str, separators: str) -> list[str]:
    """`text` cut before every unescaped character of `separators` (each part keeps it)."""
    parts, current, index = [], "", 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            current += text[index : index + 2]
            index += 2
            continue
        if char in separators and current.strip():
            parts.append(current)
            current = ""
        current += char
        index += 1
    if current.strip():
        parts.append(current)
    return parts


def _unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        if text[index] == "\\" and following and following in SPECIAL + "\\n":
            out.append("\n" if following == "n" else following)
            index += 2
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def _broken(number: int, line: int, reason: str) -> ImportFileError:
    return ImportFileError(
        _(
            "Berkas GIFT tidak dapat dibaca: soal ke-%(number)d (baris %(line)d) %(reason)s",
            number=number,
            line=line,
            reason=reason,
        )
    )


def _question(block: str, topic: str, number: int, line: int) -> bank.QuestionData | Skipped:
    name = ""
    if block.startswith("::"):
        end = _find(block, "::", 2)
        if end < 0:
            raise _broken(number, line, _("membuka nama dengan :: tanpa menutupnya."))
        name, block = _unescape(block[2:end]).strip(), block[end + 2 :].lstrip()
    fmt = "moodle"
    if match := re.match(r"^\[(html|moodle|plain|markdown)\]", block):
        fmt, block = match.group(1), block[match.end() :]
    opening = _find(block, "{")
    if opening < 0:
        text = _as_text(block, fmt)
        return Skipped(
            number, name or question_name(text), "description", skip_reason("description")
        )
    closing = _find(block, "}", opening + 1)
    if closing < 0:
        raise _broken(number, line, _("membuka jawaban dengan { tanpa menutupnya dengan }."))
    before, answers, after = block[:opening], block[opening + 1 : closing], block[closing + 1 :]
    text = before.rstrip() + (f" {BLANK} {after.lstrip()}" if after.strip() else "")
    text = _as_text(text, fmt)
    name = name or question_name(text)
    answers, general = _general_feedback(answers)
    kind = _kind(answers)
    if kind not in ("multichoice", "truefalse"):
        return Skipped(number, name, kind, skip_reason(kind))
    explanation, source = split_source(_as_text(general, fmt))
    if kind == "truefalse":
        head = answers.strip().split("#", 1)[0].strip()
        feedback = _split(answers.strip(), "#")[1:]
        # {T#feedback for a wrong answer#feedback for the right one}
        right_feedback = _as_text(feedback[1][1:], fmt) if len(feedback) > 1 else ""
        return bank.question_data(
            topic=topic,
            kind=QuestionKind.TRUE_FALSE,
            text=text,
            correct_keys="a" if head.startswith("T") else "b",
            explanation=explanation or right_feedback,
            source=source,
        )
    parts = _split(answers, "~=")
    if len(parts) > len(bank.KEYS):
        return Skipped(number, name, kind, too_many_choices(len(parts)))
    single = any(part.lstrip().startswith("=") for part in parts)
    pairs, feedbacks = [], []
    for part in parts:
        choice, fraction, feedback = _answer(part.strip(), fmt)
        pairs.append((choice, fraction))
        feedbacks.append(feedback)
    choices, correct = choices_and_keys(pairs, single=single)
    if not explanation:
        right = [fb for fb, (_c, f) in zip(feedbacks, pairs, strict=True) if f > 0 and fb]
        explanation = "\n".join(right)
    return bank.question_data(
        topic=topic,
        kind=QuestionKind.SINGLE if single else QuestionKind.MULTIPLE,
        text=text,
        choices=choices,
        correct_keys=correct,
        explanation=explanation,
        source=source,
    )


def _general_feedback(answers: str) -> tuple[str, str]:
    """The answers and the general feedback after the last "####", as Moodle splits them."""
    index, found = _find(answers, "####"), -1
    while index >= 0:
        found, index = index, _find(answers, "####", index + 1)
    if found < 0:
        return answers, ""
    return answers[:found], answers[found + 4 :]


def _kind(answers: str) -> str:
    """The type, tested in the order Moodle's importer tests it."""
    stripped = answers.strip()
    if not stripped:
        return "essay"
    if stripped.startswith("#"):
        return "numerical"
    if _find(stripped, "~") >= 0:
        return "multichoice"
    if _find(stripped, "=") >= 0 and _find(stripped, "->") >= 0:
        return "matching"
    hash_at = _find(stripped, "#")
    if (stripped[:hash_at] if hash_at >= 0 else stripped).strip() in TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def _answer(part: str, fmt: str) -> tuple[str, float, str]:
    """(choice text, grade in percent, feedback) of one "=text#feedback" or "~%50%text"."""
    mark, body = part[0], part[1:].strip()
    fraction = 100.0 if mark == "=" else 0.0
    if match := WEIGHT.match(body):
        fraction, body = float(match.group(1)), body[match.end() :]
    hash_at = _find(body, "#")
    feedback = body[hash_at + 1 :] if hash_at >= 0 else ""
    body = body[:hash_at] if hash_at >= 0 else body
    return _as_text(body, fmt), fraction, _as_text(feedback, fmt)


def _as_text(raw: str, fmt: str) -> str:
    text = _unescape(raw.strip())
    if fmt == "html" or (fmt == "moodle" and re.search(r"<[a-zA-Z/]", text)):
        return html_to_text(text.replace("\n", "<br>") if fmt == "moodle" else text)
    return tidy_lines(text)


# --- write ---------------------------------------------------------------------------------------


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _html(text: str) -> str:
    return escape(text_to_html(text))


def write(questions: Sequence[bank.QuestionData]) -> bytes:
    """A GIFT file: "$CATEGORY:" per topic, then its questions in HTML format."""
    blocks = ["// lokalatih: bank soal (GIFT)"]
    by_topic: dict[str, list[bank.QuestionData]] = {}
    for data in questions:
        by_topic.setdefault(data.topic, []).append(data)
    for topic, items in by_topic.items():
        blocks.append(f"$CATEGORY: {category_of_topic(topic)}")
        blocks += [_question_block(data) for data in items]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _question_block(data: bank.QuestionData) -> str:
    kind = QuestionKind(data.kind)
    general = _html(feedback_text(data.explanation, data.source))
    head = f"::{escape(question_name(data.text))}::[html]{_html(data.text)}"
    if kind is QuestionKind.TRUE_FALSE:
        answer = "TRUE" if "a" in data.correct_keys else "FALSE"
        return f"{head} {{{answer}####{general}}}"
    keys = [key for key in bank.KEYS if key in data.choices]
    lines = []
    if kind is QuestionKind.SINGLE:
        for key in keys:
            mark = "=" if key in data.correct_keys else "~"
            lines.append(f"\t{mark}{_html(data.choices[key])}")
    else:
        fractions = multiple_fractions(data.correct_keys, keys)
        for key in keys:
            lines.append(f"\t~%{fractions[key]}%{_html(data.choices[key])}")
    lines.append(f"\t####{general}")
    return head + " {\n" + "\n".join(lines) + "\n}"
