"""Certificate PDFs drawn with ReportLab.

This module is pure: it knows nothing about the database or Django models. Callers
describe the institution's template as a :class:`Layout` and one certificate as a
:class:`Content`, and :func:`render` returns the bytes of a one-page A4 PDF.

Design notes

* Text goes through :mod:`certificates.typesetting`: each character in the face its
  script needs (DejaVu for Latin, Cyrillic, Greek, Georgian and Armenian; Noto faces for
  Arabic-script, Hebrew and Thai; Nanum Myeongjo for Hangul; Droid Sans Fallback for
  Chinese and Japanese), runs in the order of the Unicode bidirectional algorithm, shaped
  by HarfBuzz. ReportLab embeds subsets with a ``ToUnicode`` map that gives back the typed
  characters, so the text is searchable and extracts in logical order.
  :func:`missing_characters` reports what no face can print (emoji, unassigned scripts).
* Every text element is fitted into a box: its font size shrinks down to a floor, then
  it wraps onto a limited number of lines, then it shrinks further. Nothing is drawn
  outside its box, and the boxes do not overlap.
* Template images (background, logos, signatures) are identical for thousands of
  certificates, so each distinct image is decoded *and* encoded as a PDF image stream
  once per process and cached; a render only copies the ready-made stream into the PDF.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import math
import re
import struct
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from PIL import Image, ImageOps
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.pdfgen.canvas import Canvas

from certificates import typesetting

__all__ = [
    "Content",
    "Layout",
    "Signatory",
    "build_qr_widget",
    "format_code",
    "missing_characters",
    "name_with_latin",
    "render",
    "same_name",
]

logger = logging.getLogger(__name__)

CREATOR = "PAN Training Platform"


# --------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    signature: bytes | None = None  # PNG or JPEG bytes


@dataclass(frozen=True)
class Layout:  # from the institution's certificate template
    orientation: str = "landscape"  # "landscape" | "portrait" (A4)
    primary_colour: str = "#1F3A5F"  # "#RRGGBB"
    accent_colour: str = "#B08D57"
    background: bytes | None = None  # full-page image, PNG/JPEG bytes
    logos: tuple[bytes, ...] = ()  # shown side by side at the top
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class Content:
    title: str  # e.g. "Certificate of completion"
    body: str  # already filled in; paragraphs separated by blank lines
    holder_name: str  # native script, e.g. "ნინო ბერიძე"
    holder_name_latin: str  # Latin transliteration, drawn smaller under the native name
    code: str  # 13 upper-case base32 characters, e.g. "K7Q2M9XRT4BNC"
    verify_url: str  # encoded in the QR code
    language: str = "en"
    pdf_title: str = ""  # PDF metadata
    pdf_author: str = ""  # the issuing institution
    pdf_subject: str = ""
    verify_label: str = "Verify at"  # printed before the URL/code (translated by the caller)


# --------------------------------------------------------------------------------------
# Fonts and shaping (certificates/typesetting.py)
# --------------------------------------------------------------------------------------

SANS, SANS_BOLD, SERIF, SERIF_BOLD = (
    typesetting.SANS,
    typesetting.SANS_BOLD,
    typesetting.SERIF,
    typesetting.SERIF_BOLD,
)
_REGULAR = typesetting.Style(bold=False)
_BOLD = typesetting.Style(bold=True)
missing_characters = typesetting.missing_characters

# Kept by the text cleaning although they are format characters: the zero-width
# non-joiner and joiner decide how Persian, Dari, Pashto (and Indic) words are written.
_JOINERS = frozenset("\u200c\u200d")


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


_is_invisible = typesetting.is_invisible


_SPACES = re.compile(r"\s+")


def _clean_line(text: str | None) -> str:
    """NFC, without control/format characters, whitespace collapsed to single spaces."""
    chars = [
        " " if ch.isspace() else ch
        for ch in _nfc(text)
        if not _is_invisible(ch) or ch.isspace() or ch in _JOINERS
    ]
    return _SPACES.sub(" ", "".join(chars)).strip()


def _clean_paragraphs(text: str | None) -> list[list[str]]:
    """Body text as paragraphs (split at blank lines) of lines (split at single newlines)."""
    text = _nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [_clean_line(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append(lines)
    return paragraphs


def same_name(name: str, latin: str) -> bool:
    """Whether the Latin spelling of a name is the name itself (Turkish, Serbian Latin,
    Romanian...: "Şükrü Öztürk" / "Şükrü Öztürk"), ignoring case, spacing and invisible
    characters. Such a name is printed once."""
    return _clean_line(latin).casefold() == _clean_line(name).casefold()


def name_with_latin(name: str, latin: str) -> str:
    """The name, then its Latin spelling in brackets when that differs:
    "ნინო ბერიძე (Nino Beridze)", but "Şükrü Öztürk" alone."""
    name, latin = _clean_line(name), _clean_line(latin)
    if not latin or not name or same_name(name, latin):
        return name or latin
    return f"{name} ({latin})"


def format_code(code: str) -> str:
    """Group a certificate code for reading: ``K7Q2M9XRT4BNC`` -> ``K7Q2-M9XR-T4BNC``.

    Groups of four; a single leftover character joins the last group.
    """
    raw = re.sub(r"[\s\-]+", "", code or "").upper()
    groups = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        last = groups.pop()
        groups[-1] += last
    return "-".join(groups)


# --------------------------------------------------------------------------------------
# Text fitting
# --------------------------------------------------------------------------------------


def _width(
    text: str, style: typesetting.Style, size: float = 1.0, rtl: bool | None = None
) -> float:
    return typesetting.shape(text, style, rtl).width(size)


def _clusters(word: str) -> list[str]:
    """A word's characters with their combining marks, joiners and vowel signs attached."""
    pieces: list[str] = []
    for ch in word:
        if pieces and (unicodedata.category(ch).startswith("M") or ch in _JOINERS):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _break_word(word: str, style: typesetting.Style, max_width: float) -> list[str]:
    """Split a word that is wider than ``max_width`` (at size 1) between characters."""
    pieces: list[str] = []
    current = ""
    for cluster in _clusters(word):
        if current and _width(current + cluster, style) > max_width:
            pieces.append(current)
            current = ""
        current += cluster
    if current:
        pieces.append(current)
    return pieces


def _wrap(
    words: list[tuple[str, float]], space: float, style: typesetting.Style, max_width: float
) -> list[str]:
    """Greedy line breaking of pre-measured words (logical order); widths at font size 1."""
    limit = max_width * (1 + 1e-9)
    lines: list[str] = []
    current: list[str] = []
    current_width = 0.0
    for word, w in words:
        if w > limit:
            if current:
                lines.append(" ".join(current))
            pieces = _break_word(word, style, max_width)
            lines.extend(pieces[:-1])
            current, current_width = [pieces[-1]], _width(pieces[-1], style)
            continue
        candidate = w if not current else current_width + space + w
        if candidate <= limit:
            current.append(word)
            current_width = candidate
        else:
            lines.append(" ".join(current))
            current, current_width = [word], w
    if current:
        lines.append(" ".join(current))
    return lines


def _balance(
    words: list[tuple[str, float]],
    space: float,
    style: typesetting.Style,
    max_width: float,
    count: int,
) -> list[str]:
    """Wrap onto ``count`` lines of similar length rather than full lines and a short one."""
    low, high = 0.0, max_width
    for _ in range(14):
        middle = (low + high) / 2
        if len(_wrap(words, space, style, middle)) <= count:
            high = middle
        else:
            low = middle
    return _wrap(words, space, style, high)


@dataclass(frozen=True)
class _TextBlock:
    """Lines of text (logical order) in one style and size, ready to draw."""

    style: typesetting.Style
    size: float
    lines: tuple[str, ...]
    leading: float = 1.2  # baseline-to-baseline distance, in multiples of the size
    rtl: bool | None = None  # the paragraph's direction; None: each line's own
    ascent_factor: float = 0.95  # the tallest face's extent per point of size
    descent_factor: float = 0.25

    @property
    def ascent(self) -> float:
        return self.size * self.ascent_factor

    @property
    def line_gap(self) -> float:
        return self.size * self.leading

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return _block_height(
            self.size, len(self.lines), self.leading, self.ascent_factor, self.descent_factor
        )

    def shaped(self, line: str) -> typesetting.Line:
        return typesetting.shape(line, self.style, self.rtl)

    @property
    def width(self) -> float:
        return max((self.shaped(line).width(self.size) for line in self.lines), default=0.0)


def _block_height(
    size: float, lines: int, leading: float, ascent: float = 0.95, descent: float = 0.25
) -> float:
    return size * (ascent + descent) + (lines - 1) * size * leading


def _fit_text(
    text: str,
    style: typesetting.Style,
    *,
    width: float,
    max_height: float,
    size: float,
    floor: float,
    max_lines: int = 1,
    leading: float = 1.2,
    minimum: float = 4.0,
    step: float = 0.5,
) -> _TextBlock:
    """Fit ``text`` into a ``width`` x ``max_height`` box.

    1. one line, shrinking from ``size`` down to ``floor``;
    2. wrapped at ``floor`` onto at most ``max_lines`` lines of similar length;
    3. the same, shrinking below ``floor`` down to ``minimum``;
    4. at ``minimum``, as many lines as the height allows, the rest cut with an ellipsis.
    """
    if not text or width <= 0 or max_height <= 0:
        return _TextBlock(style, size, (), leading)
    rtl = typesetting.paragraph_is_rtl(text)
    whole = typesetting.shape(text, style, rtl)
    up, down = whole.ascent, whole.descent

    def block(s: float, lines) -> _TextBlock:
        return _TextBlock(style, s, tuple(lines), leading, rtl, up, down)

    total = whole.width(1.0)
    one_line = min(size, width / total if total else size, max_height / (up + down))
    if one_line >= floor:
        return block(one_line * 0.9999, (text,))

    words = [(w, _width(w, style, 1.0, rtl)) for w in text.split(" ")]
    space = _width(" ", style, 1.0, rtl)

    def fits(lines, s: float) -> bool:
        return all(_width(line, style, s, rtl) <= width * (1 + 1e-6) for line in lines)

    def attempt(s: float) -> _TextBlock | None:
        if _block_height(s, 1, leading, up, down) > max_height:
            return None
        lines = _wrap(words, space, style, width / s)
        if len(lines) > max_lines or _block_height(s, len(lines), leading, up, down) > max_height:
            return None
        if len(lines) > 1:
            lines = _balance(words, space, style, width / s, len(lines))
        # Words were measured one by one; a whole line is shaped as one (kerning, joining).
        return block(s, lines) if fits(lines, s) else None

    s = floor
    while s >= minimum - 1e-9:
        fitted = attempt(s)
        if fitted:
            return fitted
        s -= step

    # Last resort: the smallest size, as many lines as fit, an ellipsis on the last one.
    s = minimum
    room = max(1, int((max_height - s * (up + down)) // (s * leading)) + 1)
    lines = _wrap(words, space, style, width / s)
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1].rstrip() + "…"
        while len(last) > 1 and _width(last, style, s, rtl) > width:
            last = last[:-2].rstrip() + "…"
        lines[-1] = last
    return block(s, lines)


# --------------------------------------------------------------------------------------
# Images: decoded and encoded once per process
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PreparedImage:
    """A PDF image XObject's stream, ready to be copied into any document."""

    key: str
    width: int  # pixels
    height: int
    colour_space: str  # DeviceRGB | DeviceGray
    filter: str  # DCTDecode | FlateDecode
    data: bytes
    colours: int = 3  # for the PNG predictor of FlateDecode streams
    smask: _PreparedImage | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height


_IMAGE_CACHE_SIZE = 32
_image_lock = threading.Lock()
_image_cache: OrderedDict[tuple[str, int], _PreparedImage | None] = OrderedDict()
# id(bytes) -> (bytes, digest): avoids rehashing the very same bytes object (a template
# reused for thousands of certificates); holding the object keeps its id from being reused.
_digest_memo: OrderedDict[int, tuple[bytes, str]] = OrderedDict()


def _digest(data: bytes) -> str:
    memo = _digest_memo.get(id(data))
    if memo is not None and memo[0] is data:
        return memo[1]
    digest = hashlib.sha256(data).hexdigest()
    with _image_lock:
        _digest_memo[id(data)] = (data, digest)
        while len(_digest_memo) > _IMAGE_CACHE_SIZE:
            _digest_memo.popitem(last=False)
    return digest


def _png_stream(image: Image.Image) -> bytes:
    """Flate data with PNG predictors: the concatenated IDAT chunks of a PNG encoding."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9)
    png = buffer.getvalue()
    pos, chunks = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(png[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return b"".join(chunks)


def _encode_image(key: str, data: bytes, max_side: int) -> _PreparedImage:
    with Image.open(io.BytesIO(data)) as original:
        fmt = original.format
        orientation = original.getexif().get(0x0112, 1) if fmt == "JPEG" else 1
        if (
            fmt == "JPEG"
            and original.mode in ("L", "RGB")
            and orientation == 1
            and max(original.size) <= max_side
        ):
            # JPEG goes into the PDF as it is, without decoding the pixels.
            return _PreparedImage(
                key=key,
                width=original.width,
                height=original.height,
                colour_space="DeviceGray" if original.mode == "L" else "DeviceRGB",
                filter="DCTDecode",
                data=data,
            )
        image = ImageOps.exif_transpose(original)
        image.load()

    alpha = None
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        image = image.convert("RGBA")
        alpha = image.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
    grey = image.mode in ("1", "L", "LA", "La", "I", "I;16", "F")
    base = image.convert("L" if grey else "RGB")
    if max(base.size) > max_side:
        base.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if alpha is not None:
            alpha = alpha.resize(base.size, Image.Resampling.LANCZOS)

    smask = None
    if alpha is not None:
        smask = _PreparedImage(
            key=key + "a",
            width=alpha.width,
            height=alpha.height,
            colour_space="DeviceGray",
            filter="FlateDecode",
            data=_png_stream(alpha),
            colours=1,
        )
    if fmt == "JPEG" and alpha is None:
        buffer = io.BytesIO()
        base.save(buffer, format="JPEG", quality=90, optimize=True)
        return _PreparedImage(
            key=key,
            width=base.width,
            height=base.height,
            colour_space="DeviceGray" if grey else "DeviceRGB",
            filter="DCTDecode",
            data=buffer.getvalue(),
        )
    return _PreparedImage(
        key=key,
        width=base.width,
        height=base.height,
        colour_space="DeviceGray" if grey else "DeviceRGB",
        filter="FlateDecode",
        data=_png_stream(base),
        colours=1 if grey else 3,
        smask=smask,
    )


def _prepared_image(data: bytes | None, max_side: int) -> _PreparedImage | None:
    """The cached, PDF-ready form of ``data``; ``None`` for no or undecodable images."""
    if not data:
        return None
    key = (_digest(data), max_side)
    with _image_lock:
        if key in _image_cache:
            _image_cache.move_to_end(key)
            return _image_cache[key]
    try:
        prepared = _encode_image(f"{key[0][:40]}s{max_side}", data, max_side)
    except Exception:  # a broken template image must not stop certificates being issued
        logger.warning("Certificate image could not be decoded; it is left out.", exc_info=True)
        prepared = None
    with _image_lock:
        _image_cache[key] = prepared
        while len(_image_cache) > _IMAGE_CACHE_SIZE:
            _image_cache.popitem(last=False)
    return prepared


class _ImageXObject(PDFObject):
    """An image XObject whose stream was prepared beforehand (see ``_PreparedImage``)."""

    def __init__(self, image: _PreparedImage, smask=None):
        self.image = image
        self.smask = smask

    def format(self, document):
        image = self.image
        stream = PDFStream(content=image.data)
        d = stream.dictionary
        d["Type"] = PDFName("XObject")
        d["Subtype"] = PDFName("Image")
        d["Width"] = image.width
        d["Height"] = image.height
        d["BitsPerComponent"] = 8
        d["ColorSpace"] = PDFName(image.colour_space)
        d["Filter"] = PDFName(image.filter)
        if image.filter == "FlateDecode":
            d["DecodeParms"] = PDFDictionary(
                {
                    "Predictor": 15,
                    "Colors": image.colours,
                    "BitsPerComponent": 8,
                    "Columns": image.width,
                }
            )
        if self.smask is not None:
            d["SMask"] = self.smask
        return stream.format(document)


def _draw_prepared(canvas: Canvas, image: _PreparedImage, x: float, y: float, w: float, h: float):
    """Draw a prepared image into the rectangle; its stream is added to the PDF once."""
    doc = canvas._doc  # ReportLab has no public API for pre-encoded image streams
    name = f"Img{image.key}"
    internal = doc.getXObjectName(name)
    if internal not in doc.idToObject:
        smask = None
        if image.smask is not None:
            smask_internal = doc.getXObjectName(f"Img{image.smask.key}")
            smask = doc.Reference(_ImageXObject(image.smask), smask_internal)
        doc.addForm(name, _ImageXObject(image, smask))
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.transform(w, 0, 0, h, x, y)
    canvas.doForm(name)
    canvas.restoreState()


def _contain(aspect: float, box_w: float, box_h: float) -> tuple[float, float]:
    """Largest size with the given aspect ratio inside the box."""
    if box_w / box_h > aspect:
        return box_h * aspect, box_h
    return box_w, box_w / aspect


# --------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------


def build_qr_widget(url: str) -> QrCodeWidget:
    """ReportLab's QR widget for ``url`` (error correction M, quiet zone drawn separately)."""
    return QrCodeWidget(url, barLevel="M", barBorder=0, barWidth=100, barHeight=100)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float, colour) -> int:
    """Draw the QR code for ``url`` as one vector path; returns its module count.

    The symbol is encoded by ReportLab's widget; instead of building a graphics Group of
    one validated shape per run of dark modules (``widget.draw()``, slow), the runs are
    added to a single path, which is several times faster and draws the same rectangles.
    """
    widget = build_qr_widget(url)
    qr = widget.qr
    qr.make()
    modules = qr.getModuleCount()
    unit = size / modules
    quiet = 4 * unit  # the standard four-module quiet zone, kept white
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x - quiet, y - quiet, size + 2 * quiet, size + 2 * quiet, stroke=0, fill=1)
    canvas.setFillColor(colour)
    path = canvas.beginPath()
    for r, row in enumerate(qr.modules):
        row_y = y + size - (r + 1) * unit
        c = 0
        for dark, run in itertools.groupby(map(bool, row)):
            count = sum(1 for _ in run)
            if dark:
                path.rect(x + c * unit, row_y, count * unit, unit)
            c += count
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return modules


# --------------------------------------------------------------------------------------
# Page
# --------------------------------------------------------------------------------------


class DrawnBox(NamedTuple):
    """Where something was drawn (points, origin bottom left); used by the tests."""

    role: str
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""


@dataclass
class _Record:
    boxes: list[DrawnBox] = field(default_factory=list)
    font_sizes: dict[str, float] = field(default_factory=dict)
    missing_glyphs: int = 0  # glyphs drawn as a box (.notdef): a face lacks a character


@dataclass(frozen=True)
class _Metrics:
    margin_x: float
    margin_top: float
    margin_bottom: float
    logo_height: float
    title_size: float
    name_size: float
    latin_size: float
    body_size: float
    body_width: float  # fraction of the content width
    qr_size: float
    qr_text_width: float


_LANDSCAPE = _Metrics(
    margin_x=58,
    margin_top=50,
    margin_bottom=46,
    logo_height=52,
    title_size=30,
    name_size=34,
    latin_size=15,
    body_size=14,
    body_width=0.84,
    qr_size=64,
    qr_text_width=170,
)
_PORTRAIT = _Metrics(
    margin_x=52,
    margin_top=56,
    margin_bottom=50,
    logo_height=60,
    title_size=32,
    name_size=36,
    latin_size=16,
    body_size=14.5,
    body_width=0.92,
    qr_size=64,
    qr_text_width=170,
)

_TEXT_COLOUR = colors.HexColor("#222222")
_MUTED_COLOUR = colors.HexColor("#555555")
_SIGNATURE_HEIGHT = 38
# Below a signatory's line: 4 pt gap, name (12 pt box), 1.5 pt gap, position (20 pt box).
_SIGNATORY_TEXT_HEIGHT = 4 + 12 + 1.5 + 20
_SIGNATORY_MIN_WIDTH = 130
_SIGNATORY_MAX_WIDTH = 200


def _colour(value: str, default: str):
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return colors.HexColor(value)
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return colors.HexColor("#" + "".join(c * 2 for c in value[1:]))
    logger.warning("Invalid certificate colour %r; using %s.", value, default)
    return colors.HexColor(default)


class _Painter:
    def __init__(self, canvas: Canvas, record: _Record):
        self.canvas = canvas
        self.record = record

    def text(
        self,
        block: _TextBlock,
        x: float,
        top: float,
        *,
        align: str,
        colour,
        role: str,
        record: bool = True,
    ):
        """Draw a text block below ``top``; ``x`` is its centre, left or right edge."""
        c = self.canvas
        c.setFillColor(colour)
        self.record.font_sizes.setdefault(role, block.size)
        baseline = top - block.ascent
        for line in block.lines:
            shaped = block.shaped(line)
            self.record.missing_glyphs += shaped.missing_glyphs
            w = shaped.width(block.size)
            if align == "centre":
                x0 = x - w / 2
            elif align == "right":
                x0 = x - w
            else:
                x0 = x
            shaped.draw(c, x0, baseline, block.size)
            if record:
                self.record.boxes.append(
                    DrawnBox(
                        role,
                        x0,
                        baseline - block.size * block.descent_factor,
                        x0 + w,
                        baseline + block.ascent,
                        line,
                    )
                )
            baseline -= block.line_gap
        return top - block.height

    def image(self, image: _PreparedImage, x: float, y: float, w: float, h: float, role: str):
        _draw_prepared(self.canvas, image, x, y, w, h)
        self.record.boxes.append(DrawnBox(role, x, y, x + w, y + h))


def _render(layout: Layout, content: Content) -> tuple[bytes, _Record]:
    typesetting.fonts()
    orientation = (layout.orientation or "landscape").strip().lower()
    portrait = orientation == "portrait"
    page_w, page_h = (A4[0], A4[1]) if portrait else (A4[1], A4[0])
    m = _PORTRAIT if portrait else _LANDSCAPE
    primary = _colour(layout.primary_colour, "#1F3A5F")
    accent = _colour(layout.accent_colour, "#B08D57")

    title = _clean_line(content.title)
    name = _clean_line(content.holder_name)
    latin = _clean_line(content.holder_name_latin)
    if same_name(name, latin):
        latin = ""
    code = format_code(content.code)
    url = _clean_line(content.verify_url)
    label = _clean_line(content.verify_label)

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(page_w, page_h),
        pageCompression=1,
        initialFontName=SANS,
        lang=_clean_line(content.language) or None,
    )
    canvas.setTitle(_clean_line(content.pdf_title) or title)
    canvas.setAuthor(_clean_line(content.pdf_author))
    canvas.setSubject(_clean_line(content.pdf_subject))
    canvas.setCreator(CREATOR)
    keywords = ["certificate", content.code.strip().upper(), code]
    canvas.setKeywords(", ".join(dict.fromkeys(k for k in keywords if k)))

    record = _Record()
    painter = _Painter(canvas, record)

    # Background, covering the page (centred, cropped to the page, aspect ratio kept).
    background = _prepared_image(layout.background, 2480)
    if background is not None:
        w, h = page_w, page_w / background.aspect
        if h < page_h:
            w, h = page_h * background.aspect, page_h
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(0, 0, page_w, page_h)
        canvas.clipPath(clip, stroke=0, fill=0)
        _draw_prepared(canvas, background, (page_w - w) / 2, (page_h - h) / 2, w, h)
        canvas.restoreState()
        record.boxes.append(DrawnBox("background", 0, 0, page_w, page_h))

    _draw_border(canvas, page_w, page_h, accent)

    x0, x1 = m.margin_x, page_w - m.margin_x
    content_w = x1 - x0
    cx = page_w / 2
    top = page_h - m.margin_top

    # Logos across the top, centred as a group.
    logos = [img for img in (_prepared_image(d, 1200) for d in layout.logos) if img is not None]
    if logos:
        gap = 28.0
        box_w = min(170.0, (content_w - gap * (len(logos) - 1)) / len(logos))
        sizes = [_contain(img.aspect, box_w, m.logo_height) for img in logos]
        total = sum(w for w, _ in sizes) + gap * (len(logos) - 1)
        x = cx - total / 2
        for img, (w, h) in zip(logos, sizes, strict=True):
            painter.image(img, x, top - m.logo_height + (m.logo_height - h) / 2, w, h, "logo")
            x += w + gap
        top -= m.logo_height + 16

    # The bottom band: signatories and the verification block.
    bottom = _draw_bottom(painter, layout, m, x0, x1, primary, accent, url, code, label)
    bottom += 18

    # The middle: title, ornament, name, Latin name, body; fitted into what is left.
    available = top - bottom
    title_block = _fit_text(
        title,
        _BOLD,
        width=content_w,
        max_height=min(available * 0.2, m.title_size * 2.6),
        size=m.title_size,
        floor=18,
        max_lines=2,
        leading=1.15,
    )
    name_block = _fit_text(
        name,
        _BOLD,
        width=content_w * 0.94,
        max_height=available * 0.28,
        size=m.name_size,
        floor=20,
        max_lines=3,
        leading=1.12,
    )
    latin_block = _fit_text(
        latin,
        _REGULAR,
        width=content_w * 0.9,
        max_height=available * 0.09,
        size=m.latin_size,
        floor=10,
        max_lines=2,
        leading=1.15,
    )
    ornament_h = 8.0
    gaps = [10.0, 16.0, 4.0 if latin_block.lines else 0.0, 14.0]  # around the ornament etc.
    fixed = title_block.height + ornament_h + name_block.height + latin_block.height + sum(gaps)
    body_max = max(0.0, available - fixed)
    body_w = content_w * m.body_width
    body = _fit_body(content.body, body_w, body_max, m.body_size)
    body_h = body.height

    spare = max(0.0, available - fixed - body_h)
    y = top - spare * 0.3
    y = painter.text(title_block, cx, y, align="centre", colour=primary, role="title")
    y -= gaps[0]
    _draw_ornament(canvas, cx, y - ornament_h / 2, accent)
    y -= ornament_h + gaps[1] + spare * 0.15
    y = painter.text(name_block, cx, y, align="centre", colour=primary, role="name")
    y -= gaps[2]
    y = painter.text(latin_block, cx, y, align="centre", colour=_MUTED_COLOUR, role="latin")
    y -= gaps[3] + spare * 0.2
    if body.paragraphs:
        _draw_body(painter, body, cx, y)
        record.boxes.append(DrawnBox("body", cx - body_w / 2, y - body_h, cx + body_w / 2, y))

    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), record


def render(layout: Layout, content: Content) -> bytes:
    """The certificate as a one-page A4 PDF."""
    return _render(layout, content)[0]


def _draw_border(canvas: Canvas, page_w: float, page_h: float, accent) -> None:
    canvas.saveState()
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(1.6)
    canvas.rect(20, 20, page_w - 40, page_h - 40, stroke=1, fill=0)
    canvas.setLineWidth(0.5)
    canvas.rect(26, 26, page_w - 52, page_h - 52, stroke=1, fill=0)
    canvas.setFillColor(accent)
    for x, y in ((26, 26), (page_w - 26, 26), (26, page_h - 26), (page_w - 26, page_h - 26)):
        canvas.rect(x - 2.5, y - 2.5, 5, 5, stroke=0, fill=1)
    canvas.restoreState()


def _draw_ornament(canvas: Canvas, cx: float, cy: float, accent) -> None:
    """A thin rule with a small diamond in the middle, under the title."""
    canvas.saveState()
    canvas.setStrokeColor(accent)
    canvas.setFillColor(accent)
    canvas.setLineWidth(0.8)
    canvas.line(cx - 90, cy, cx - 9, cy)
    canvas.line(cx + 9, cy, cx + 90, cy)
    diamond = canvas.beginPath()
    diamond.moveTo(cx, cy + 4)
    diamond.lineTo(cx + 4, cy)
    diamond.lineTo(cx, cy - 4)
    diamond.lineTo(cx - 4, cy)
    diamond.close()
    canvas.drawPath(diamond, stroke=0, fill=1)
    canvas.restoreState()


@dataclass(frozen=True)
class _Body:
    size: float
    paragraphs: tuple[_TextBlock, ...]
    height: float  # as drawn, after ``scale``
    scale: float = 1.0  # below 1 only when even 4 pt is too large


def _body_blocks(blocks: list[list[str]], width: float, s: float) -> list[_TextBlock]:
    """Each paragraph's lines wrapped at size ``s``, in the paragraph's direction."""
    paragraphs = []
    for lines in blocks:
        rtl = typesetting.paragraph_is_rtl(" ".join(lines))
        space = _width(" ", _REGULAR, 1.0, rtl)
        wrapped: list[str] = []
        up, down = 0.95, 0.25
        for line in lines:
            shaped = typesetting.shape(line, _REGULAR, rtl)
            up, down = max(up, shaped.ascent), max(down, shaped.descent)
            if shaped.width(s) <= width:
                wrapped.append(line)
                continue
            words = [(w, _width(w, _REGULAR, 1.0, rtl)) for w in line.split(" ")]
            wrapped.extend(_wrap(words, space, _REGULAR, width / s))
        paragraphs.append(_TextBlock(_REGULAR, s, tuple(wrapped), 1.4, rtl, up, down))
    return paragraphs


def _body_height(paragraphs: list[_TextBlock]) -> float:
    if not paragraphs:
        return 0.0
    gap = paragraphs[0].size * 0.6
    return sum(p.height for p in paragraphs) + gap * (len(paragraphs) - 1)


def _fit_body(text: str, width: float, max_height: float, size: float) -> _Body:
    """The body's paragraphs at the largest size (down to 4 pt) whose height fits."""
    blocks = _clean_paragraphs(text)
    if not blocks or max_height <= 0:
        return _Body(size, (), 0.0)
    s = size
    paragraphs = _body_blocks(blocks, width, s)
    height = _body_height(paragraphs)
    if height > max_height:
        # Text area grows with the square of the size: jump close to the answer first.
        s = max(4.0, math.floor(s * math.sqrt(max_height / height) * 4) / 4)
        paragraphs = _body_blocks(blocks, width, s)
        height = _body_height(paragraphs)
        while height > max_height and s > 4.0:
            s = max(4.0, s - 0.25)
            paragraphs = _body_blocks(blocks, width, s)
            height = _body_height(paragraphs)
    if height > max_height:  # even 4 pt is too large: scale the whole block down
        return _Body(s, tuple(paragraphs), max_height, max_height / height)
    return _Body(s, tuple(paragraphs), height)


def _draw_body(painter: _Painter, body: _Body, cx: float, top: float) -> None:
    canvas = painter.canvas
    canvas.saveState()
    if body.scale < 1:
        canvas.translate(cx, top)
        canvas.scale(body.scale, body.scale)
        canvas.translate(-cx, -top)
    y = top
    for paragraph in body.paragraphs:
        y = painter.text(
            paragraph,
            cx,
            y,
            align="centre",
            colour=_TEXT_COLOUR,
            role="body",
            record=body.scale == 1,  # a scaled body is recorded as its whole box
        )
        y -= body.size * 0.6
    canvas.restoreState()


def _draw_bottom(
    painter: _Painter,
    layout: Layout,
    m: _Metrics,
    x0: float,
    x1: float,
    primary,
    accent,
    url: str,
    code: str,
    label: str,
) -> float:
    """Draw signatories and the QR block along the bottom; return the band's top edge."""
    canvas = painter.canvas
    y0 = m.margin_bottom

    # Verification block in the bottom-right corner: QR code, text to its left.
    qr_x = x1 - m.qr_size
    _draw_qr(canvas, url, qr_x, y0, m.qr_size, primary)
    painter.record.boxes.append(DrawnBox("qr", qr_x, y0, x1, y0 + m.qr_size, url))
    text_right = qr_x - 12
    code_block = _fit_text(
        code,
        _BOLD,
        width=m.qr_text_width,
        max_height=16,
        size=11.5,
        floor=7,
        max_lines=1,
    )
    label_block = _fit_text(
        label,
        _REGULAR,
        width=m.qr_text_width,
        max_height=10,
        size=7.5,
        floor=5,
        max_lines=1,
    )
    url_block = _fit_text(
        url,
        _REGULAR,
        width=m.qr_text_width,
        max_height=30,
        size=7.5,
        floor=6,
        max_lines=3,
    )
    stack_h = code_block.height + 6 + label_block.height + 2 + url_block.height
    y = y0 + m.qr_size / 2 + stack_h / 2
    y = painter.text(code_block, text_right, y, align="right", colour=primary, role="code")
    y -= 6
    y = painter.text(label_block, text_right, y, align="right", colour=_MUTED_COLOUR, role="label")
    y -= 2
    painter.text(url_block, text_right, y, align="right", colour=_MUTED_COLOUR, role="url")
    qr_block_left = text_right - max(code_block.width, label_block.width, url_block.width)
    band_top = y0 + max(m.qr_size, stack_h)

    signatories = [s for s in layout.signatories if _clean_line(s.name) or _clean_line(s.position)]
    if not signatories:
        return band_top
    n = len(signatories)
    sig_h = _SIGNATORY_TEXT_HEIGHT + 2 + _SIGNATURE_HEIGHT
    cell = min(_SIGNATORY_MAX_WIDTH, (x1 - x0) / n)
    gap_to_qr = 24.0

    # Centred on the page if that clears the QR block; else in the space to its left;
    # else on their own row above it.
    cx = (x0 + x1) / 2
    left = cx - cell * n / 2
    if left + cell * n + gap_to_qr <= qr_block_left:
        sig_y = y0
    elif (qr_block_left - gap_to_qr - x0) / n >= _SIGNATORY_MIN_WIDTH:
        cell = min(_SIGNATORY_MAX_WIDTH, (qr_block_left - gap_to_qr - x0) / n)
        left = x0 + (qr_block_left - gap_to_qr - x0 - cell * n) / 2
        sig_y = y0
    else:
        left = cx - cell * n / 2
        sig_y = band_top + 16
    for i, signatory in enumerate(signatories):
        _draw_signatory(painter, signatory, left + i * cell, cell, sig_y, accent)
    return max(band_top, sig_y + sig_h)


def _draw_signatory(
    painter: _Painter, signatory: Signatory, x: float, cell: float, y0: float, accent
):
    canvas = painter.canvas
    inner = cell - 16
    cx = x + cell / 2
    name = _clean_line(signatory.name)
    position = _clean_line(signatory.position)
    name_block = _fit_text(
        name,
        _BOLD,
        width=inner,
        max_height=12,
        size=9.5,
        floor=7,
        max_lines=1,
    )
    position_block = _fit_text(
        position,
        _REGULAR,
        width=inner,
        max_height=20,
        size=8,
        floor=7.5,
        max_lines=2,
        leading=1.15,
    )
    line_y = y0 + _SIGNATORY_TEXT_HEIGHT
    y = painter.text(
        name_block, cx, line_y - 4, align="centre", colour=_TEXT_COLOUR, role="signatory"
    )
    painter.text(position_block, cx, y - 1.5, align="centre", colour=_MUTED_COLOUR, role="position")
    canvas.saveState()
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(0.6)
    canvas.line(cx - inner / 2, line_y, cx + inner / 2, line_y)
    canvas.restoreState()
    image = _prepared_image(signatory.signature, 900)
    if image is not None:
        w, h = _contain(image.aspect, inner * 0.85, _SIGNATURE_HEIGHT)
        painter.image(image, cx - w / 2, line_y + 2, w, h, "signature")
