"""One vocabulary (docs/GLOSSARY.md) on every page, email and certificate; every message translated.

The messages are extracted from the code as `make extract-messages` does, so a string added to a
template or a service without an English translation, or with a word the glossary rules out, fails
here and not in front of a reader.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"
CATALOG = ROOT / "lokalatih" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
    "N_plural": (1, 2),
}
# Markup and placeholders are not words a reader sees: `<quiz>` is the name of a Moodle XML element.
NOT_WORDS = re.compile(r"<[^>]*>|%\([a-z_]+\)s|\{[a-z_]+\}")


def _banned(cell: str) -> list[str]:
    return [word.strip() for word in cell.split(",") if word.strip()]


@cache
def glossary_rows() -> list[dict[str, object]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("Bahasa Indonesia", "") or set(cells[0]) <= {"-"}:
            continue
        rows.append(
            {
                "id": cells[0],
                "en": cells[1],
                "not_id": _banned(cells[3]),
                "not_en": _banned(cells[4]),
            }
        )
    return rows


@cache
def extracted_messages() -> dict[str, tuple[str, ...]]:
    """Every message in the code, keyed by its first msgid, with where it was found."""
    method_map = [
        ("lokalatih/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    found: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        if ids and ids[0]:
            found.setdefault(ids[0], []).append(filename)
    return {key: tuple(files) for key, files in found.items()}


@cache
def english_catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="en")


def _uses(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE) is not None


def test_the_glossary_has_its_terms():
    terms = {row["id"] for row in glossary_rows()}
    assert {"loka latih", "pra-tes", "pasca-tes", "presensi", "sertifikat"} <= terms


def test_every_message_in_the_code_has_an_english_translation():
    catalog = english_catalog()
    untranslated = []
    for msgid, files in extracted_messages().items():
        message = catalog.get(msgid)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            untranslated.append(f"{msgid!r} ({files[0]})")
    assert untranslated == [], "messages without an English translation:\n" + "\n".join(
        untranslated
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_messages_use_the_glossary_words(language):
    catalog = english_catalog()
    offences = []
    for msgid in extracted_messages():
        if language == "id":
            texts = [msgid]
            message = catalog.get(msgid)
            if message is not None and isinstance(message.id, tuple):
                texts = list(message.id)
        else:
            message = catalog.get(msgid)
            if message is None:
                continue
            texts = list(message.string) if isinstance(message.string, tuple) else [message.string]
        for text in texts:
            plain = NOT_WORDS.sub(" ", text or "")
            for row in glossary_rows():
                for word in row["not_id" if language == "id" else "not_en"]:
                    if _uses(plain, word):
                        wanted = row["id"] if language == "id" else row["en"]
                        offences.append(f"{word!r} instead of {wanted!r} in {text!r}")
    assert offences == [], "\n".join(offences)


def test_a_banned_word_is_caught():
    """The checker itself: a sentence with a ruled-out word is found, the glossary word is not."""
    banned = next(row for row in glossary_rows() if "post-test" in row["not_id"])
    assert _uses("Nilai post-test minimal", "post-test")
    assert not _uses("Nilai pasca-tes minimal", "post-test")
    assert banned["id"] == "pasca-tes"


def _msgids(text: str) -> list[str]:
    """Every msgid of a .po file in order, continuation lines joined (the header's "" dropped)."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            found.append("".join(part.strip()[1:-1] for part in current))
            current = None
    return [msgid for msgid in found if msgid]


def test_no_message_is_translated_twice():
    """babel keeps the last of two entries with one msgid, so the first translation is lost
    wherever the text is used ("Email peserta" was both a tab and a field label)."""
    msgids = _msgids(CATALOG.read_text())
    assert [msgid for msgid in set(msgids) if msgids.count(msgid) > 1] == []
    assert len(msgids) > 1000
