"""Certificate PDF rendering (certificates/rendering.py): plain functions, no database."""

import io
import itertools
import re
import time
import unicodedata

import pytest
import qrcode
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering import (
    CREATOR,
    Content,
    Layout,
    Signatory,
    build_qr_widget,
    format_code,
    missing_characters,
    render,
)
from certificates.rendering.images import _prepared_image
from certificates.rendering.page import _render
from certificates.rendering.qr import _draw_qr

CODE = "K7Q2M9XRT4BNC"
URL = f"https://pan.example/verify/{CODE}/"
BORDER = 26  # the inner border line, in points from the page edge

NAMES = {
    "georgian": ("ნინო ბერიძე", "Nino Beridze"),
    "armenian": ("Գևորգ Ղազարյան", "Gevorg Ghazaryan"),
    "russian": ("Алексей Ёлкин", "Aleksei Iolkin"),
    "serbian": ("Ђорђе Љубичић-Џаковић", "Đorđe Ljubičić-Džaković"),
    "ukrainian": ("Ганна Ґудзь-Їжакевич Єрмоленко", "Hanna Gudz-Yizhakevych Yermolenko"),
    "kazakh": ("Әлия Ғалымқызы Өмірбекова-Ұңһүй", "Aliya Galymkyzy Omirbekova-Unhui"),
    "greek": ("Ευάγγελος Παπαδόπουλος-Ζαΐρη", "Evangelos Papadopoulos-Zairi"),
    "turkish": ("İsmail Şükrü Çağlayan-Öztürk", "Ismail Sukru Caglayan-Ozturk"),
    "polish": (
        "Żaneta Łukasz-Wąsowska Ćwiklińska-Źródło",
        "Zaneta Lukasz-Wasowska Cwiklinska-Zrodlo",
    ),
    "romanian": ("Ștefan Țurcanu-Bălănescu", "Stefan Turcanu-Balanescu"),
    "lithuanian": (
        "Gintarė Žemaitytė-Čiurlionienė Ąžuolė",
        "Gintare Zemaityte-Ciurlioniene Azuole",
    ),
}

BODY = (
    "has successfully completed the course\n"
    "“Investigating Cybercrime & Digital Evidence <Level 2>”\n\n"
    "held at the Academy of the Ministry of Internal Affairs of Georgia, Tbilisi, "
    "from 3 to 14 March 2025 (80 hours).\n\n"
    "Issued on 21 March 2025."
)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _png(size, colour, *, alpha=False, mark=0):
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, size, (0, 0, 0, 0) if alpha else colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    if alpha:
        draw.ellipse((2, 2, w - 3, h - 3), fill=(*colour, 255))
    draw.line([(0, h - 1 - mark), (w - 1, mark)], fill=(255, 255, 255, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _signature_png(seed):
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    points = [(10 + 45 * i, 20 + (37 * (i + seed)) % 60) for i in range(7)]
    ImageDraw.Draw(image).line(points, fill=(20, 30, 120, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg(size, colour):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _content(name="ნინო ბერიძე", latin="Nino Beridze", **overrides):
    values = {
        "title": "Certificate of completion",
        "body": BODY,
        "holder_name": name,
        "holder_name_latin": latin,
        "code": CODE,
        "verify_url": URL,
        "language": "ka",
        "pdf_title": "Certificate of completion — Nino Beridze",
        "pdf_author": "Academy of the Ministry of Internal Affairs of Georgia",
        "pdf_subject": "Investigating Cybercrime & Digital Evidence",
    }
    values.update(overrides)
    return Content(**values)


def _full_layout(orientation="landscape", signatories=2):
    return Layout(
        orientation=orientation,
        background=_png((1000, 707), (250, 247, 238)),
        logos=(_png((400, 200), (31, 58, 95)), _png((200, 200), (176, 141, 87), alpha=True)),
        signatories=tuple(
            Signatory(
                name=f"Giorgi Kapanadze {i}",
                position="Head of the Transnational Threats Department, Strategic Police Matters",
                signature=_signature_png(i),
            )
            for i in range(signatories)
        ),
    )


def _squash(text):
    """NFC without any whitespace: pypdf may split or join words differently."""
    return "".join(unicodedata.normalize("NFC", text).split())


def _page_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return _squash(reader.pages[0].extract_text())


def _page_size(portrait):
    return (A4[0], A4[1]) if portrait else (A4[1], A4[0])


def _assert_inside_and_apart(record, page_w, page_h):
    """Every drawn box lies inside the border, and boxes of different roles never overlap."""
    boxes = [b for b in record.boxes if b.role != "background"]
    assert boxes
    for b in boxes:
        assert b.x0 >= BORDER and b.y0 >= BORDER, b
        assert b.x1 <= page_w - BORDER and b.y1 <= page_h - BORDER, b
        assert b.x0 < b.x1 and b.y0 < b.y1, b
    for a, b in itertools.combinations(boxes, 2):
        if a.role == b.role:
            continue
        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_x <= 0.01 or overlap_y <= 0.01, (a, b)


def _text_origins(pdf):
    """Start points of every piece of text pypdf finds, in page coordinates."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    origins = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            origins.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return origins


# --------------------------------------------------------------------------------------
# Scripts of the region
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", sorted(NAMES))
def test_native_names_render_and_are_extractable(script):
    name, latin = NAMES[script]
    assert missing_characters(name) == []
    assert missing_characters(latin) == []

    text = _page_text(render(Layout(), _content(name, latin)))

    assert _squash(name) in text
    assert _squash(latin) in text
    assert format_code(CODE) in text
    assert CODE in text  # inside the printed URL


def test_text_is_drawn_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Ștefan Țurcanu-Bălănescu")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert missing_characters(decomposed) == []

    text = _page_text(render(Layout(), _content(decomposed, "Stefan Turcanu-Balanescu")))

    assert "ȘtefanȚurcanu-Bălănescu" in text


def test_every_letter_of_the_region_is_covered():
    lower = (
        "çğıöşü"
        "ąćęłńóśźż"
        "ěščřžýáíéůňťďľĺŕ"
        "āčēģīķļņšūžąęėįų"
        "ăâîșțşţ"
        "őű"
        "ëç"
        "ßđ"
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
        "ґєії"
        "ў"
        "ђјљњћџѓќѕ"
        "әғқңөұүһі"
        "ңөү"
        "ғӣқӯҳҷ"
        "ўқғҳ"
        "αβγδεζηθικλμνξοπρσςτυφχψω"
        "άέήίόύώϊϋΐΰ"
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև"
    )
    upper = "".join(ch.upper() for ch in lower if len(ch.upper()) == 1)
    georgian = "".join(chr(cp) for cp in range(0x10D0, 0x10F1))
    armenian = "".join(chr(cp) for cp in itertools.chain(range(0x531, 0x557), range(0x561, 0x588)))
    alphabet = lower + upper + "İ" + georgian + armenian

    assert missing_characters(alphabet) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王小明", []),
        ("محمد علي", []),
        ("ځښږګړټډۍې\u200c", []),
        ("김민준 สมชาย יוסי", []),
        ("राम शर्मा", ["र", "ा", "म", "श", "्"]),
        ("Nino 😀 ნინო 🚓😀", ["😀", "🚓"]),
        ("राम राम\n\tम", ["र", "ा", "म"]),
        ("Nino\u200b Beridze\u00ad", []),
    ],
)
def test_missing_characters_reports_what_the_fonts_cannot_draw(text, expected):
    assert missing_characters(text) == expected


def test_uncovered_characters_do_not_break_rendering():
    pdf = render(Layout(), _content("राम 😀", "Wang Xiaoming"))
    assert "WangXiaoming" in _page_text(pdf)


# --------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ("ნინო ბერიძე-კაპანაძე " * 12)[:200],  # words
        ("Александра" * 20),  # 200 characters without a single space
    ],
    ids=["words", "no-spaces"],
)
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_a_200_character_name_shrinks_and_wraps_inside_the_page(name, orientation):
    assert len(name) == 200
    layout = _full_layout(orientation)
    pdf, record = _render(layout, _content(name, "Nino Beridze"))
    page_w, page_h = _page_size(orientation == "portrait")

    _assert_inside_and_apart(record, page_w, page_h)
    name_lines = [b for b in record.boxes if b.role == "name"]
    assert 2 <= len(name_lines) <= 3
    assert record.font_sizes["name"] < 20  # shrank below the floor after wrapping
    assert _squash(name) == _squash("".join(b.text for b in name_lines))
    for x, y, _text in _text_origins(pdf):
        assert 0 <= x <= page_w and 0 <= y <= page_h
    assert _squash(name) in _page_text(pdf)


def test_short_name_keeps_its_full_size_on_one_line():
    _pdf, record = _render(Layout(), _content("Nino Beridze", "Nino Beridze"))
    assert [b.text for b in record.boxes if b.role == "name"] == ["Nino Beridze"]
    assert record.font_sizes["name"] == pytest.approx(34, abs=0.01)
    assert not [b for b in record.boxes if b.role == "latin"]  # equal to the native name


def test_long_title_body_and_positions_stay_in_their_boxes():
    layout = Layout(
        signatories=tuple(
            Signatory(f"Signatory with a rather long name number {i}", "Position " * 30)
            for i in range(4)
        )
    )
    content = _content(
        title="Certificate of successful completion of the advanced training course " * 4,
        body="\n\n".join([BODY] * 12),
    )
    pdf, record = _render(layout, content)
    page_w, page_h = _page_size(False)

    _assert_inside_and_apart(record, page_w, page_h)
    assert 1 <= len([b for b in record.boxes if b.role == "title"]) <= 2
    for x, y, _text in _text_origins(pdf):
        assert 0 <= x <= page_w and 0 <= y <= page_h


def test_body_text_is_escaped_for_paragraph_markup():
    text = _page_text(render(Layout(), _content(body="R&D <b>not bold</b> & <Level 2>")))
    assert _squash("R&D <b>not bold</b> & <Level 2>") in text


# --------------------------------------------------------------------------------------
# Page, images, metadata, QR code
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_orientation_background_logos_and_signatories(orientation):
    layout = _full_layout(orientation)
    pdf, record = _render(layout, _content())
    page_w, page_h = _page_size(orientation == "portrait")

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(page_w)
    assert float(page.mediabox.height) == pytest.approx(page_h)
    # Background, two logos, two different signatures; each image embedded once.
    assert len(page.images) == 5
    roles = [b.role for b in record.boxes]
    assert roles.count("background") == 1
    assert roles.count("logo") == 2
    assert roles.count("signature") == 2
    assert roles.count("signatory") == 2
    assert roles.count("qr") == 1
    _assert_inside_and_apart(record, page_w, page_h)
    text = _squash(page.extract_text())
    assert "GiorgiKapanadze0" in text and "GiorgiKapanadze1" in text
    assert _squash("Verify at") in text


def test_jpeg_images_and_a_broken_image():
    layout = Layout(
        background=_jpeg((842, 595), (240, 240, 250)),
        logos=(b"not an image", _jpeg((300, 150), (20, 40, 90))),
        signatories=(Signatory("Anna Nowak", "Rector", _jpeg((200, 80), (250, 250, 250))),),
    )
    pdf = render(layout, _content())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 3


def test_images_are_prepared_once_per_distinct_content():
    data = _png((120, 60), (10, 20, 30), alpha=True)
    first = _prepared_image(data, 900)
    assert first is not None and first.smask is not None  # transparency kept as a soft mask
    assert _prepared_image(bytes(data), 900) is first  # equal bytes, another object
    assert _prepared_image(_png((120, 60), (10, 20, 31)), 900) is not first
    assert _prepared_image(b"garbage", 900) is None
    big = _prepared_image(_png((3000, 1500), (200, 200, 200)), 900)
    assert (big.width, big.height) == (900, 450)  # downscaled once, not per certificate


def test_pdf_metadata():
    pdf = render(Layout(), _content())
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta.title == "Certificate of completion — Nino Beridze"
    assert meta.author == "Academy of the Ministry of Internal Affairs of Georgia"
    assert meta.subject == "Investigating Cybercrime & Digital Evidence"
    assert meta.creator == CREATOR == "PAN Training Platform"
    assert CODE in meta["/Keywords"]
    assert format_code(CODE) in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "ka"


def test_pdf_title_defaults_to_the_certificate_title():
    reader = PdfReader(io.BytesIO(render(Layout(), _content(pdf_title=""))))
    assert reader.metadata.title == "Certificate of completion"


def test_qr_widget_encodes_the_verify_url():
    widget = build_qr_widget(URL)
    assert widget.value == URL
    widget.qr.make()
    ours = [[bool(v) for v in row] for row in widget.qr.modules]

    # An independent encoder (the `qrcode` package) produces the same symbol for one of
    # the eight mask patterns: the code carries exactly the URL, in byte mode, level M.
    def reference(mask):
        qr = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask
        )
        qr.add_data(URL.encode(), optimize=0)
        qr.make(fit=True)
        return [[bool(v) for v in row] for row in qr.modules]

    assert any(reference(mask) == ours for mask in range(8))


def test_qr_code_is_drawn_as_the_widget_encodes_it():
    """Rebuild the module matrix from the drawn rectangles: not flipped, not shifted."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    x, y, size = 100.0, 200.0, 87.0
    modules = _draw_qr(canvas, URL, x, y, size, "#000000")
    canvas.showPage()
    canvas.save()
    stream = PdfReader(buffer).pages[0].get_contents().get_data().decode("latin-1")

    unit = size / modules
    drawn = [[False] * modules for _ in range(modules)]
    number = r"(-?[\d.]+)"
    for match in re.finditer(rf"{number} {number} {number} {number} re", stream):
        rx, ry, rw, rh = map(float, match.groups())
        if abs(rh - unit) > 1e-3:
            continue  # the white quiet zone
        row = round((y + size - ry) / unit) - 1
        first = round((rx - x) / unit)
        for col in range(first, first + round(rw / unit)):
            drawn[row][col] = True

    widget = build_qr_widget(URL)
    widget.qr.make()
    assert drawn == [[bool(v) for v in row] for row in widget.qr.modules]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("K7Q2M9XRT4BNC", "K7Q2-M9XR-T4BNC"),
        ("k7q2 m9xr-t4bnc", "K7Q2-M9XR-T4BNC"),
        ("ABCDEFGHJKMN", "ABCD-EFGH-JKMN"),
        ("ABCDEF", "ABCD-EF"),
        ("ABCDE", "ABCDE"),
        ("", ""),
    ],
)
def test_format_code(code, expected):
    assert format_code(code) == expected


# --------------------------------------------------------------------------------------
# Not collected by pytest: python -m tests.test_certificate_rendering
# --------------------------------------------------------------------------------------


def benchmark(count=200):
    """Render ``count`` certificates with a full template; print milliseconds per PDF."""
    layout = _full_layout()
    names = list(NAMES.values())
    contents = [
        _content(
            *names[i % len(names)],
            code=f"K7Q2M9XRT4{i:03d}",
            verify_url=f"https://pan.example/verify/K7Q2M9XRT4{i:03d}/",
        )
        for i in range(count)
    ]
    render(layout, contents[0])  # warm up: fonts and images are prepared once per process
    start = time.perf_counter()
    size = 0
    for content in contents:
        size += len(render(layout, content))
    elapsed = time.perf_counter() - start
    print(
        f"{count} certificates: {elapsed * 1000 / count:.1f} ms per certificate, "
        f"{size / count / 1024:.0f} KiB per PDF"
    )


if __name__ == "__main__":
    benchmark()


# --------------------------------------------------------------------------------------
# A name whose Latin spelling is the name itself
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "latin", "shown"),
    [
        ("ნინო ბერიძე", "Nino Beridze", "ნინო ბერიძე (Nino Beridze)"),
        ("Şükrü Öztürk", "Şükrü Öztürk", "Şükrü Öztürk"),
        ("Şükrü  Öztürk", "ŞÜKRÜ ÖZTÜRK", "Şükrü Öztürk"),  # case and spacing do not count
        ("Şükrü Öztürk", "Sukru Ozturk", "Şükrü Öztürk (Sukru Ozturk)"),
        ("Şükrü Öztürk", "", "Şükrü Öztürk"),
    ],
)
def test_name_with_latin_gives_the_latin_spelling_only_when_it_differs(name, latin, shown):
    from certificates.rendering import name_with_latin

    assert name_with_latin(name, latin) == shown


def test_the_demo_text_prints_a_turkish_name_once():
    """The demo template's text ("Awarded to {name_with_latin} ...") filled and drawn: a name
    spelt the same in Latin letters appears on the name line and once in the text, never as
    "Şükrü Öztürk (Şükrü Öztürk)"; one spelt differently keeps its Latin form in brackets."""
    from certificates.models import fill_placeholders, validate_placeholders
    from demo.dataset import load

    demo_body = load().certificate_texts["en"]["body"]

    validate_placeholders(demo_body)  # a placeholder templates may use
    values = {
        "course": "Digital evidence for first responders",
        "institution": "Police Academy of Türkiye",
        "dates": "03.11.2026 – 05.11.2026",
        "hours": 24,
    }
    for latin in ("Şükrü Öztürk", "Sukru Ozturk"):
        body = fill_placeholders(demo_body, {**values, "name": "Şükrü Öztürk", "name_latin": latin})
        text = _page_text(
            render(Layout(), _content(name="Şükrü Öztürk", latin=latin, body=body, language="tr"))
        )
        if latin == "Şükrü Öztürk":
            assert body.startswith("Awarded to Şükrü Öztürk for the course")
            assert text.count(_squash("Şükrü Öztürk")) == 2  # the name line, the text
            assert _squash("(Şükrü Öztürk)") not in text
        else:
            assert body.startswith("Awarded to Şükrü Öztürk (Sukru Ozturk) for the course")
            assert text.count(_squash("Sukru Ozturk")) == 2  # the Latin line, the text
