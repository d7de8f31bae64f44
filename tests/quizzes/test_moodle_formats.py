"""Reading and writing Moodle XML and GIFT, from files written after Moodle's documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from lokalatih.quizzes import bank, gift, moodle_xml
from lokalatih.quizzes.errors import ImportFileError

FILES = Path(__file__).parent / "moodle_files"
SKIPPED_KINDS = ["essay", "matching", "numerical", "shortanswer"]


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


# --- the documented examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name"), [(moodle_xml, "all_types.xml"), (gift, "all_types.gift")]
)
def test_each_supported_type_is_read_with_feedback_and_category(ctx, module, name):
    parsed = module.parse(read(name))

    single, multiple, true_false = parsed.questions[:3]
    assert single.kind == "single"
    assert single.topic == "Instrumen internasional"  # the last level of the category path
    assert single.text.startswith("Berapa pasal yang dimuat DUHAM?\n")  # HTML tags are gone
    assert single.text.endswith("Pilih satu & hanya satu.")  # and &amp; is read
    assert single.choices == {"a": "10", "b": "30", "c": "76"}
    assert single.correct_keys == ["b"]
    assert single.explanation == "DUHAM terdiri atas 30 pasal."
    assert single.source == "Resolusi Majelis Umum PBB 217 A (III)"
    assert multiple.kind == "multiple"
    assert multiple.correct_keys == ["a", "b", "d"]  # every answer worth something
    # No general feedback: the right answers' feedback explains the question.
    assert multiple.explanation == "DUHAM adalah bagiannya.\nICCPR adalah bagiannya."
    assert multiple.source == ""
    assert true_false.kind == "true_false"
    assert true_false.topic == "Konstitusi"
    assert true_false.choices == bank.TRUE_FALSE_CHOICES
    assert true_false.correct_keys == ["a"]
    assert true_false.explanation == "Perubahan Kedua disahkan MPR pada 18 Agustus 2000."


@pytest.mark.parametrize(
    ("module", "name", "skipped"),
    [
        (moodle_xml, "all_types.xml", [*SKIPPED_KINDS, "cloze", "description"]),
        (gift, "all_types.gift", [*SKIPPED_KINDS, "description"]),
    ],
)
def test_each_other_type_is_listed_as_skipped_with_its_name_and_reason(ctx, module, name, skipped):
    parsed = module.parse(read(name))

    assert [item.kind for item in parsed.skipped] == skipped
    essay = parsed.skipped[0]
    assert essay.name == "Esai kewajiban negara"
    assert "Esai dinilai dengan membaca jawaban bebas" in essay.reason
    assert all(item.reason for item in parsed.skipped)
    # Numbers count questions, not categories: the preview and the file agree.
    numbers = [q.row for q in parsed.questions] + [item.number for item in parsed.skipped]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_a_gift_missing_word_question_is_a_single_choice_with_a_blank(ctx):
    parsed = gift.parse(read("all_types.gift"))

    blank = parsed.questions[3]
    assert blank.text == (
        "Hak untuk tidak disiksa _____ dikurangi dalam keadaan apa pun menurut Pasal 28I ayat (1) "
        "UUD 1945."
    )
    assert blank.choices == {"a": "tidak dapat", "b": "dapat"}
    assert blank.correct_keys == ["a"]
    assert blank.topic == "Konstitusi"


def test_a_question_with_more_choices_than_the_bank_holds_is_skipped_whole(ctx):
    answers = "".join(f"~Pilihan {n} " for n in range(1, 8))
    parsed = gift.parse(f"::Tujuh::Soal dengan tujuh pilihan? {{={answers}}}".encode())

    assert parsed.questions == []
    assert "punya 8 pilihan" in parsed.skipped[0].reason


def test_html_lists_and_breaks_become_lines_and_scripts_are_dropped(ctx):
    xml = b"""<?xml version="1.0" encoding="UTF-8"?><quiz>
      <question type="truefalse">
        <questiontext format="html"><text><![CDATA[<div>Hak yang <em>tidak dapat</em>
        dikurangi:</div><ul><li>hak untuk hidup</li><li>hak untuk tidak disiksa</li></ul>
        <script>alert(1)</script>Benar&nbsp;atau salah?<br>Jawab.]]></text></questiontext>
        <answer fraction="0"><text>true</text></answer>
        <answer fraction="100"><text>false</text></answer>
      </question></quiz>"""

    [question] = moodle_xml.parse(xml).questions

    assert question.text == (
        "Hak yang tidak dapat dikurangi:\nhak untuk hidup\nhak untuk tidak disiksa\n"
        "Benar atau salah?\nJawab."
    )
    assert question.correct_keys == ["b"]


# --- writing, and reading back -------------------------------------------------------------------

TRICKY = [
    bank.question_data(
        topic="Instrumen / internasional",
        kind="single",
        text='Simbol GIFT ~ = # { } : \\ dan HTML <b>"&"</b>?\nBaris kedua.',
        choices=["a ~ b", "c = d", "{e}", "f#g: h"],
        correct_keys="c",
        explanation="Paragraf satu.\n\nParagraf dua & tiga.",
        source="Pasal 28I ayat (1) UUD 1945",
    ),
    bank.question_data(
        topic="DUHAM",
        kind="multiple",
        text="Manakah yang termasuk International Bill of Human Rights?",
        choices=["DUHAM", "ICCPR", "Gwangju Guiding Principles", "ICESCR", "CEDAW", "SDG 11"],
        correct_keys="a,b,d",
        explanation="DUHAM, ICCPR dan ICESCR.",
        source="Resolusi 2200A (XXI)",
    ),
    bank.question_data(
        topic="DUHAM",
        kind="multiple",
        text="Satu jawaban benar, tetapi peserta boleh memilih beberapa.",
        choices=["DUHAM", "SDG 11"],
        correct_keys="a",
        explanation="Hanya DUHAM.",
        source="Resolusi 217 A (III)",
    ),
    bank.question_data(
        topic="Konstitusi",
        kind="true_false",
        text="Pasal 28J ayat (2) mengatur pembatasan hak dengan undang-undang.",
        correct_keys="a",
        explanation="Pembatasan hanya dengan undang-undang.",
        source="Pasal 28J ayat (2) UUD 1945",
    ),
    bank.question_data(
        topic="Konstitusi",
        kind="true_false",
        text="Bab XA ditambahkan oleh Perubahan Pertama.",
        correct_keys="b",
        explanation="Oleh Perubahan Kedua.",
        source="UUD 1945 Bab XA",
    ),
]


@pytest.mark.parametrize("module", [moodle_xml, gift])
def test_what_is_written_reads_back_unchanged(ctx, module):
    assert all(not bank.validate_question_data(data) for data in TRICKY)

    parsed = module.parse(module.write(TRICKY))

    assert parsed.skipped == []
    assert parsed.questions == TRICKY  # QuestionData compares every field but the row


def test_moodle_xml_is_written_as_moodle_documents_it(ctx):
    written = moodle_xml.write(TRICKY).decode()

    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert "<text>$course$/top/Instrumen // internasional</text>" in written  # "/" doubled
    assert '<question type="multichoice">' in written
    assert "<single>false</single>" in written
    assert '<answer fraction="33.33333" format="html">' in written
    assert '<answer fraction="-100" format="html">' in written
    assert '<question type="truefalse">' in written
    assert "Sumber: Pasal 28I ayat (1) UUD 1945" in written


def test_gift_is_written_as_moodle_documents_it(ctx):
    written = gift.write(TRICKY).decode()

    assert "$CATEGORY: $course$/top/Instrumen // internasional" in written
    assert "[html]Simbol GIFT \\~ \\= \\# \\{ \\} \\: \\\\ dan HTML &lt;b&gt;" in written
    assert "\t=\\{e\\}" in written
    assert "\t~%33.33333%DUHAM" in written
    assert "\t~%100%DUHAM" in written  # one right answer, yet multiple: no "="
    assert "{TRUE####" in written and "{FALSE####" in written


# --- files that cannot be read -------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY rahasia SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&rahasia;</text></questiontext>
</question></quiz>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<quiz>&lol2;</quiz>"""


@pytest.mark.parametrize(
    ("module", "content", "message"),
    [
        (moodle_xml, XXE, "deklarasi DOCTYPE atau ENTITY tidak diterima"),
        (moodle_xml, LAUGHS, "deklarasi DOCTYPE atau ENTITY tidak diterima"),
        (moodle_xml, b"<quiz><question type='truefalse'>\n</quiz>", "baris 2, kolom 3"),
        (moodle_xml, b"<soal></soal>", "elemen teratas harus <quiz>"),
        (moodle_xml, "<quiz>é</quiz>".encode("latin-1"), "harus memakai pengodean UTF-8"),
        (moodle_xml, b"  \n", "Berkas kosong"),
        (moodle_xml, b"<quiz>" + b" " * moodle_xml.MAX_BYTES + b"</quiz>", "lebih besar dari 2 MB"),
        (gift, b"Soal tanpa penutup {=a ~b", "membuka jawaban dengan { tanpa menutupnya"),
        (gift, b"// komentar\n\n::Nama tanpa penutup {T}", "soal ke-1 (baris 3) membuka nama"),
        (gift, "Soal {T}".encode("utf-16"), "harus memakai pengodean UTF-8"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_reason(ctx, module, content, message):
    with pytest.raises(ImportFileError) as raised:
        module.parse(content)

    assert message in str(raised.value.message)


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ("{T}", "truefalse"),
        ("{FALSE#Bukan.#Ya.}", "truefalse"),
        ("{t}", "shortanswer"),  # Moodle reads only upper-case T, TRUE, F, FALSE
        ("{=Gwangju}", "shortanswer"),
        ("{=CEDAW -> UU No. 7 Tahun 1984 =ICCPR -> UU No. 12 Tahun 2005}", "matching"),
        ("{#1948:0}", "numerical"),
        ("{}", "essay"),
    ],
)
def test_gift_answer_blocks_are_typed_as_moodle_types_them(ctx, answers, kind):
    parsed = gift.parse(f"::Soal::Teks soal? {answers}".encode())

    found = [q.kind for q in parsed.questions] + [s.kind for s in parsed.skipped]
    assert found == ["true_false" if kind == "truefalse" else kind]


def test_an_old_true_false_export_with_translated_answers_is_read_true_first(ctx):
    xml = b"""<?xml version="1.0" encoding="UTF-8"?><quiz>
      <question type="truefalse">
        <questiontext format="html"><text>DUHAM terdiri atas 30 pasal.</text></questiontext>
        <answer fraction="100"><text>Benar</text></answer>
        <answer fraction="0"><text>Salah</text></answer>
      </question></quiz>"""

    [question] = moodle_xml.parse(xml).questions

    assert question.correct_keys == ["a"]
