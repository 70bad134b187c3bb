"""Certificates in every script of the network: shaped, in order, extractable as typed.

The extracted text is read with poppler's pdftotext, which puts right-to-left text back
into logical order as a reader would; without poppler the tests skip, except where
PAN_REQUIRE_POPPLER=1 (CI)."""

import os
import shutil
import subprocess
import unicodedata

import pytest

from certificates import typesetting
from certificates.rendering import Content, Layout, missing_characters
from certificates.rendering.page import _render

CODE = "K7Q2M9XRT4BNC"

# name in its own script, Latin spelling
NAMES = {
    "georgian": ("ნინო კაპანაძე", "Nino Kapanadze"),
    "armenian": ("Գևորգ Ղազարյան", "Gevorg Ghazaryan"),
    "russian": ("Алексей Ёлкин", "Aleksei Iolkin"),
    "serbian": ("Ђорђе Љубичић-Џаковић", "Đorđe Ljubičić-Džaković"),
    "kazakh": ("Әлия Ғалымқызы Өмірбекова", "Aliya Galymkyzy Omirbekova"),
    "kyrgyz": ("Айгүл Өмүрбекова Ңаева", "Aigul Omurbekova Ngaeva"),
    "tajik": ("Ҷамшед Қодирӣ Ҳусейнзода Ғуломов", "Jamshed Qodiri Huseynzoda Ghulomov"),
    "mongolian": ("Батбаяр Өлзийсайхан Үүрцайх", "Batbayar Olziisaikhan Uurtsaikh"),
    "greek": ("Ευάγγελος Παπαδόπουλος-Ζαΐρη", "Evangelos Papadopoulos-Zairi"),
    "turkish": ("İsmail Şükrü Çağlayan-Öztürk", "Ismail Sukru Caglayan-Ozturk"),
    "azerbaijani": ("Əli Həsənov Güləbəyli", "Ali Hasanov Gulabayli"),
    "romanian": ("Ștefan Țurcanu-Bălănescu", "Stefan Turcanu-Balanescu"),
    "icelandic": ("Þórður Ævar Sigurðsson", "Thordur Aevar Sigurdsson"),
    "uzbek": ("Oʻgʻiloy Gʻulomova", "Ogiloy Gulomova"),
    "arabic": ("محمد عبد الله الهاشمي", "Mohammad Abdullah al-Hashimi"),
    "dari": ("فرشته نوری‌زاده", "Fereshta Noorizada"),
    "pashto": ("ځلمی ښکلی ګلزار ړنګ ټپه ډېر ۍ", "Zalmai Shkuli Gulzar"),
    "hebrew": ("יוסף בן־דוד כהן", "Yosef Ben-David Cohen"),
    "japanese": ("山田 花子", "Yamada Hanako"),
    "chinese": ("王小明", "Wang Xiaoming"),
    "korean": ("김민준", "Kim Minjun"),
    "thai": ("สมชาย ใจดี น้ำทิพย์", "Somchai Jaidee Namthip"),
}
RIGHT_TO_LEFT = {"arabic", "dari", "pashto", "hebrew"}
BODY = "Awarded to {name} for completing the Counter-narcotics Training of Trainers, Almaty."


def _pdftotext(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        if os.environ.get("PAN_REQUIRE_POPPLER") == "1":
            pytest.fail("pdftotext (Debian's poppler-utils) is required here")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdftotext = shutil.which("pdftotext")
    out = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    # pdftotext marks the direction of right-to-left lines with embedding controls.
    text = out.stdout.decode()
    return "".join(ch for ch in text if ch not in "\u202a\u202b\u202c")


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _render_for(name: str, latin: str, body: str = BODY):
    return _render(
        Layout(),
        Content(
            title="Certificate of completion",
            body=body.format(name=name),
            holder_name=name,
            holder_name_latin=latin,
            code=CODE,
            verify_url=f"https://pan.example/verify/{CODE}/",
        ),
    )


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_in_every_script_prints_with_every_glyph_and_extracts_as_typed(script):
    name, latin = NAMES[script]
    assert missing_characters(name) == []

    pdf, record = _render_for(name, latin)

    assert record.missing_glyphs == 0  # no box: every character has its glyph
    lines = _lines(_pdftotext(pdf))
    assert name in lines, lines  # the name line, in logical order, joiners included
    assert latin in lines
    # The right-to-left name inside the English sentence is one piece, in logical order.
    assert name in " ".join(lines)
    assert "Counter-narcotics Training of Trainers" in " ".join(lines)


@pytest.mark.parametrize("script", sorted(RIGHT_TO_LEFT))
def test_right_to_left_names_are_drawn_right_to_left(script):
    """The first character typed is drawn rightmost: the runs are in visual order."""
    name, _ = NAMES[script]
    line = typesetting.shape(name, typesetting.Style(bold=True))
    assert all(run.rtl for run in line.runs if run.glyphs.strip())
    first_word, last_word = name.split(" ")[0], name.split(" ")[-1]
    word_lines = [
        typesetting.shape(w, typesetting.Style(bold=True)) for w in (first_word, last_word)
    ]
    # Shaping the first word alone gives the glyphs that end the line's visual order.
    assert line.runs[-1].glyphs.endswith(word_lines[0].runs[-1].glyphs)
    assert line.runs[0].glyphs.startswith(word_lines[1].runs[0].glyphs)


def test_arabic_letters_are_joined_and_pashto_letters_have_their_forms():
    """Shaping replaces each joining letter by its initial, medial or final form: the
    shaped word has glyphs no isolated letter has."""
    style = typesetting.Style(bold=True)
    for word in ("محمد", "ښکلی", "ګلزار"):
        joined = typesetting.shape(word, style).runs[0].glyphs
        isolated = "".join(typesetting.shape(ch, style).runs[0].glyphs for ch in word)
        assert sorted(joined) != sorted(isolated), word


def test_the_zero_width_non_joiner_keeps_dari_words_apart():
    style = typesetting.Style()
    with_zwnj = typesetting.shape("نوری\u200cزاده", style)
    without = typesetting.shape("نوریزاده", style)
    assert with_zwnj.runs[0].glyphs != without.runs[0].glyphs
    # The joiner itself is drawn as nothing: an empty glyph of no width, not the face's
    # visible marker for it.
    from reportlab.pdfbase import pdfmetrics

    run = with_zwnj.runs[0]
    face = pdfmetrics.getFont(run.font).face
    [(code, joiner)] = [
        (c, d) for c, d in zip(run.glyphs, run.glyphs.__shapeData__, strict=True) if d.cluster == 4
    ]
    assert joiner.x_advance == 0
    assert face.charToGlyph[ord(code)] == face.charToGlyph[ord(" ")]
    assert face.charToGlyph[ord(code)] != face.charToGlyph[0x200C]


def test_mixed_direction_text_keeps_its_order():
    """An Arabic name in an English sentence: the Latin words keep their places around it."""
    name = NAMES["arabic"][0]
    pdf, record = _render_for(name, NAMES["arabic"][1])
    body = [b.text for b in record.boxes if b.role == "body"]
    assert body and body[0].startswith("Awarded to " + name)
    text = " ".join(_lines(_pdftotext(pdf)))
    assert "Awarded to" in text and "for completing" in text
    assert text.index("Awarded to") < text.index("for completing")


def test_a_body_written_in_arabic_flows_right_to_left():
    body = "مُنحت هذه الشهادة إلى {name} لإتمامه دورة تدريب المدربين."
    name, latin = NAMES["arabic"]
    pdf, record = _render_for(name, latin, body)
    assert record.missing_glyphs == 0
    assert body.format(name=name).split(" ")[1] in _pdftotext(pdf)


@pytest.mark.parametrize("script", ["arabic", "pashto", "chinese", "thai", "hebrew"])
def test_the_longest_names_fit_the_page(script):
    name, latin = NAMES[script]
    long_name = " ".join([name] * 8)
    pdf, record = _render_for(long_name, latin)
    assert record.missing_glyphs == 0
    for box in record.boxes:
        assert box.x0 >= 26 and box.x1 <= 842 - 26, box
    name_boxes = [b for b in record.boxes if b.role == "name"]
    assert 1 <= len(name_boxes) <= 3


def test_a_cjk_certificate_stays_small():
    """Fonts are embedded as subsets: a CJK name adds its few glyphs, not the 4 MB face."""
    pdf, _ = _render_for("山田 花子 王小明 김민준", "Yamada Hanako")
    assert len(pdf) < 300_000


def test_text_is_extracted_in_nfc_as_typed():
    name = unicodedata.normalize("NFD", "Ștefan Țurcanu")
    pdf, _ = _render_for(name, "Stefan Turcanu")
    assert unicodedata.normalize("NFC", name) in _lines(_pdftotext(pdf))
