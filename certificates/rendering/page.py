"""The page: layout metrics, border and ornament, title, name, body, the bottom row with the
QR code and signatories; render() and _render(). Over 500 lines on purpose: it is one page
drawn top to bottom, each part measured against the parts above it, and reads best whole."""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from certificates import typesetting

from .content import CREATOR, Content, Layout, Signatory
from .images import _contain, _draw_prepared, _prepared_image, _PreparedImage
from .qr import _draw_qr
from .text import (
    _BOLD,
    _REGULAR,
    SANS,
    _clean_line,
    _clean_paragraphs,
    _fit_text,
    _TextBlock,
    _width,
    _wrap,
    format_code,
    same_name,
)

logger = logging.getLogger(__name__)

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
