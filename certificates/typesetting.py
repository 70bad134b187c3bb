"""Lines of text in any script of the network, shaped and laid out for a PDF.

Pure: no Django, no database. A line is given in logical order, as it was typed, and comes
back as runs of glyphs in visual order, each run in one font and one direction:

1. Each character is given a font. A letter of a script the Latin faces cannot draw well
   goes to that script's face (Noto Naskh Arabic for Arabic, Dari and Pashto, Noto Serif
   Hebrew, Noto Serif Thai, Nanum Myeongjo for Hangul, Droid Sans Fallback for Chinese and
   Japanese); every other letter goes to DejaVu (Serif, else Sans). Neutral characters
   (spaces, digits, punctuation, the zero-width joiners) stay in their neighbour's font, so
   that an Arabic word with a zero-width non-joiner is shaped as one word.
2. The Unicode bidirectional algorithm (python-bidi) gives each character its level.
3. Characters of one font and one level form a run; runs are put in visual order (rule L2).
4. Each run is shaped by HarfBuzz (uharfbuzz) in its direction: Arabic joining and Pashto
   letters, lam-alef, marks, Thai vowels and tone marks, kerning, mirrored brackets.

ReportLab draws the shaped runs and embeds a subset of each font. A glyph that has no
character of its own (an Arabic letter's initial or medial form, a ligature) is drawn
through a private code whose ToUnicode entry gives back the characters it stands for, so
the PDF's text extracts as typed, in logical order (``pdftotext``, search, screen readers).
"""

from __future__ import annotations

import bisect
import functools
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from bidi import algorithm as bidi
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

__all__ = [
    "SANS",
    "SANS_BOLD",
    "SERIF",
    "SERIF_BOLD",
    "Line",
    "Style",
    "font_files",
    "missing_characters",
    "paragraph_is_rtl",
    "shape",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SANS = "PAN-DejaVuSans"
SANS_BOLD = "PAN-DejaVuSans-Bold"
SERIF = "PAN-DejaVuSerif"
SERIF_BOLD = "PAN-DejaVuSerif-Bold"
ARABIC = "PAN-NotoNaskhArabic"
ARABIC_BOLD = "PAN-NotoNaskhArabic-Bold"
HEBREW = "PAN-NotoSerifHebrew"
HEBREW_BOLD = "PAN-NotoSerifHebrew-Bold"
THAI = "PAN-NotoSerifThai"
THAI_BOLD = "PAN-NotoSerifThai-Bold"
HANGUL = "PAN-NanumMyeongjo"
HAN = "PAN-DroidSansFallback"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
    HEBREW: "NotoSerifHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSerifHebrew-Bold.ttf",
    THAI: "NotoSerifThai-Regular.ttf",
    THAI_BOLD: "NotoSerifThai-Bold.ttf",
    HANGUL: "NanumMyeongjo.ttf",  # one weight: its bold doubles the files' size
    HAN: "DroidSansFallbackFull.ttf",  # one weight (the only free TrueType-outline CJK face)
}

# The scripts that have a face of their own, by code point range.
_SCRIPT_RANGES = sorted(
    [
        (0x0590, 0x05FF, "hebrew"),
        (0xFB1D, 0xFB4F, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x0870, 0x08FF, "arabic"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFF, "arabic"),
        (0x0E00, 0x0E7F, "thai"),
        (0x1100, 0x11FF, "hangul"),
        (0x3130, 0x318F, "hangul"),
        (0xA960, 0xA97F, "hangul"),
        (0xAC00, 0xD7FF, "hangul"),
        (0x2E80, 0x2FDF, "han"),
        (0x3000, 0x303F, "han"),
        (0x3040, 0x30FF, "han"),
        (0x31C0, 0x31FF, "han"),
        (0x3200, 0x33FF, "han"),
        (0x3400, 0x4DBF, "han"),
        (0x4E00, 0x9FFF, "han"),
        (0xF900, 0xFAFF, "han"),
        (0xFF00, 0xFFEF, "han"),
        (0x20000, 0x3FFFF, "han"),
    ]
)
_RANGE_STARTS = [start for start, _, _ in _SCRIPT_RANGES]
_SCRIPT_FACES = {
    "arabic": (ARABIC, ARABIC_BOLD),
    "hebrew": (HEBREW, HEBREW_BOLD),
    "thai": (THAI, THAI_BOLD),
    "hangul": (HANGUL, HANGUL),
    "han": (HAN, HAN),
}


@dataclass(frozen=True)
class Style:
    bold: bool = False
    serif: bool = True

    @property
    def latin_faces(self) -> tuple[str, ...]:
        if self.serif:
            return (SERIF_BOLD, SANS_BOLD) if self.bold else (SERIF, SANS)
        return (SANS_BOLD,) if self.bold else (SANS,)


def _script(ch: str) -> str | None:
    cp = ord(ch)
    i = bisect.bisect_right(_RANGE_STARTS, cp) - 1
    if i >= 0:
        start, end, script = _SCRIPT_RANGES[i]
        if start <= cp <= end:
            return script
    return None


def _is_neutral(ch: str) -> bool:
    """Spaces, digits, punctuation, joiners, marks: characters that take their neighbour's
    font rather than deciding one."""
    return _script(ch) is None and unicodedata.bidirectional(ch) not in ("L", "R", "AL")


# --------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Font:
    name: str
    face_name: str  # as ReportLab names the face in the PDF, after the subset prefix
    cmap: frozenset[int]
    ascent: float  # per point of size
    descent: float


_lock = threading.RLock()
_fonts: dict[str, _Font] = {}
# Per face: private code -> the characters its glyph stands for (see _to_unicode_cmap).
_private_text: dict[str, dict[int, str]] = {}


def _to_unicode_cmap(fontname: str, subset) -> str:
    """The ToUnicode CMap of one subset of a font: each code to the text it stands for.

    Replaces ReportLab's own (which knows one character per code) so that the glyphs
    shaping produced (joined forms, ligatures, decomposed vowels) extract as the
    characters they came from."""
    texts = _private_text.get(fontname.split("+", 1)[-1], {})
    entries = []
    for index, code in enumerate(subset):
        text = texts.get(code, chr(code))
        entries.append(f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{max(len(subset) - 1, 0):02X}>",
            "endcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def fonts() -> dict[str, _Font]:
    """Register every face with ReportLab on first use (once per process)."""
    if not _fonts:
        with _lock:
            if not _fonts:
                ttfonts.makeToUnicodeCMap = _to_unicode_cmap
                loaded = {}
                for name, filename in _FILES.items():
                    ttf = TTFont(name, str(FONT_DIR / filename))
                    pdfmetrics.registerFont(ttf)
                    face = ttf.face
                    units = face.unitsPerEm or 1000
                    face_name = face.name.decode("latin-1") + (
                        face.subfontNameX.decode("latin-1") if face.subfontNameX else ""
                    )
                    loaded[name] = _Font(
                        name=name,
                        face_name=face_name,
                        cmap=frozenset(cp for cp, g in face.charToGlyph.items() if g),
                        # DejaVu's box (0.95 above, 0.25 below) is the least any face gets.
                        ascent=max(0.95, face.ascent / units),
                        descent=max(0.25, -face.descent / units),
                    )
                pdfmetrics.registerFontFamily(
                    "PAN-DejaVuSerif",
                    normal=SERIF,
                    bold=SERIF_BOLD,
                    italic=SERIF,
                    boldItalic=SERIF_BOLD,
                )
                pdfmetrics.registerFontFamily(
                    "PAN-DejaVuSans", normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
                )
                _fonts.update(loaded)
    return _fonts


def font_files() -> dict[str, Path]:
    return {name: FONT_DIR / filename for name, filename in _FILES.items()}


def _candidates(ch: str, style: Style) -> tuple[str, ...]:
    script = _script(ch)
    if script:
        regular, bold = _SCRIPT_FACES[script]
        return (bold if style.bold else regular, *style.latin_faces)
    latin = style.latin_faces
    if style.serif:
        return latin
    return (*latin, SERIF_BOLD if style.bold else SERIF)


def font_for(ch: str, style: Style) -> str | None:
    """The face that draws ``ch`` in ``style``, or None when none of them has it."""
    loaded = fonts()
    for name in _candidates(ch, style):
        if ord(ch) in loaded[name].cmap:
            return name
    return None


def is_invisible(ch: str) -> bool:
    """Whitespace, control and format characters, variation selectors: nothing to draw."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F


def missing_characters(text: str) -> list[str]:
    """Characters of ``text`` (after NFC) that cannot be printed, in order of first appearance.

    A character is reported when no face draws it in regular *and* bold (the same text may
    be printed in either weight), or when it is an emoji: the faces hold no colour glyphs
    and cannot draw skin tones, flags or joined sequences. Whitespace and format characters
    (joiners, direction marks) are not reported."""
    missing: list[str] = []
    seen: set[str] = set()
    regular, bold = Style(bold=False, serif=False), Style(bold=True, serif=False)
    for ch in unicodedata.normalize("NFC", text or ""):
        if ch in seen:
            continue
        seen.add(ch)
        if is_invisible(ch):
            continue
        if (
            0x1F000 <= ord(ch) <= 0x1FAFF
            or font_for(ch, regular) is None
            or font_for(ch, bold) is None
        ):
            missing.append(ch)
    return missing


# --------------------------------------------------------------------------------------
# Shaping
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    font: str
    glyphs: ShapedStr  # codes of the font, in visual order, with HarfBuzz's positions
    advance: float  # in thousandths of the font size
    rtl: bool


@dataclass(frozen=True)
class Line:
    text: str  # logical order
    runs: tuple[Run, ...]  # visual order
    advance: float  # in thousandths of the font size
    ascent: float  # per point of size: the tallest face used
    descent: float
    missing_glyphs: int  # glyphs drawn as .notdef (a box): 0 unless a face lacks a character

    def width(self, size: float) -> float:
        return self.advance * size / 1000

    def draw(self, canvas, x: float, baseline: float, size: float) -> None:
        """Draw the line with its left edge at ``x``."""
        for run in self.runs:
            canvas.setFont(run.font, size)
            canvas.drawString(x, baseline, run.glyphs)
            x += run.advance * size / 1000


def paragraph_is_rtl(text: str) -> bool:
    """Whether a paragraph's first strong character is right to left (rules P2, P3)."""
    return bidi.get_base_level(text) == 1


def _levels(text: str, rtl: bool | None) -> list[int]:
    """The resolved embedding level of each character of ``text`` (rules P2 to I2)."""
    base = bidi.get_base_level(text) if rtl is None else int(rtl)
    storage = bidi.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi.get_embedding_levels(text, storage)
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    # Rule X9 took out the embedding controls and boundary neutrals (joiners among them):
    # they keep the level of the character before them.
    resolved = storage["chars"]
    levels, j, previous = [], 0, base
    for ch in text:
        if j < len(resolved) and resolved[j]["ch"] == ch:
            previous = resolved[j]["level"]
            j += 1
        levels.append(previous)
    return levels


def _assign_fonts(text: str, style: Style) -> list[str]:
    chosen: list[str | None] = [
        None if _is_neutral(ch) else font_for(ch, style) or style.latin_faces[-1] for ch in text
    ]
    # The next letter's face after each position (neutrals have none of their own yet).
    following: list[str | None] = [None] * len(text)
    upcoming = None
    for i in range(len(text) - 1, -1, -1):
        following[i] = upcoming
        upcoming = chosen[i] or upcoming
    loaded = fonts()
    previous = None
    for i, ch in enumerate(text):
        if chosen[i] is None:
            for name in (previous, following[i]):
                if name and (ord(ch) in loaded[name].cmap or is_invisible(ch)):
                    chosen[i] = name
                    break
            else:
                chosen[i] = font_for(ch, style) or style.latin_faces[-1]
        previous = chosen[i]
    return chosen  # type: ignore[return-value]


def _visual_order(runs: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Rule L2 on whole runs: from the highest level down to the lowest odd one, reverse
    every sequence of runs at that level or higher."""
    if not runs:
        return runs
    levels = [level for level, _, _ in runs]
    odd = [level for level in levels if level % 2]
    if not odd:
        return runs
    runs = list(runs)
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][0] >= level:
                j = i
                while j < len(runs) and runs[j][0] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
            else:
                i += 1
    return runs


_FEATURES = {"kern": True, "liga": True}
_hb_fonts: dict[str, hb.Font] = {}


def _shape_run(font_name: str, text: str, rtl: bool) -> tuple[Run, int]:
    ttf = pdfmetrics.getFont(font_name)
    font = fonts()[font_name]
    hb_font = _hb_fonts.get(font_name)
    if hb_font is None:
        hb_font = _hb_fonts[font_name] = ttf.hbFont(1000)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(hb_font, buffer, _FEATURES)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions

    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    texts = _private_text.setdefault(font.face_name, {})
    face = ttf.face
    codes: list[str] = []
    data: list[ShapeData] = []
    # Each cluster's characters are carried by its widest glyph (a base letter rather than
    # a mark, so that a reader sees no gap); its other glyphs stand for nothing.
    carrier: dict[int, int] = {}
    for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
        best = carrier.get(info.cluster)
        if best is None or position.x_advance > positions[best].x_advance:
            carrier[info.cluster] = index
    notdef = 0
    for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
        gid, cluster = info.codepoint, info.cluster
        notdef += gid == 0
        stands_for = text[cluster : ends[cluster]] if carrier[cluster] == index else ""
        if rtl:
            # Readers put right-to-left text back into logical order by reversing what they
            # read, the characters of one glyph included ("لله" as one ligature).
            stands_for = stands_for[::-1]
        nominal = face.glyphToChar.get(gid) or []
        code = next((c for c in nominal if chr(c) == stands_for), None)
        if code is None:
            glyph = hb_font.glyph_to_string(gid)
            code = ttf.hbAddPrivate(
                f"{glyph}\x00{stands_for}", gid, ttf.pdfScale(position.x_advance)
            )
            texts.setdefault(code, stands_for)
        codes.append(chr(code))
        data.append(
            ShapeData(
                cluster,
                ttf.pdfScale(position.x_advance),
                ttf.pdfScale(position.y_advance),
                ttf.pdfScale(position.x_offset),
                ttf.pdfScale(position.y_offset),
                face.charWidths[code],
            )
        )
    advance = sum(d.x_advance for d in data)
    return Run(font_name, ShapedStr("".join(codes), shapeData=data), advance, rtl), notdef


@functools.lru_cache(maxsize=8192)
def shape(text: str, style: Style = Style(), rtl: bool | None = None) -> Line:
    """``text`` (one line, logical order) shaped in ``style``. ``rtl`` is the paragraph's
    direction; None takes it from the line's first strong character."""
    with _lock:
        if not text:
            return Line(text, (), 0.0, 0.95, 0.25, 0)
        names = _assign_fonts(text, style)
        levels = _levels(text, rtl)
        pieces: list[tuple[int, str, str]] = []
        for i, ch in enumerate(text):
            if pieces and pieces[-1][0] == levels[i] and pieces[-1][1] == names[i]:
                level, name, run_text = pieces[-1]
                pieces[-1] = (level, name, run_text + ch)
            else:
                pieces.append((levels[i], names[i], ch))
        runs, notdef = [], 0
        for level, name, run_text in _visual_order(pieces):
            run, missing = _shape_run(name, run_text, bool(level % 2))
            runs.append(run)
            notdef += missing
        loaded = fonts()
        used = {name for _, name, _ in pieces}
        return Line(
            text,
            tuple(runs),
            sum(run.advance for run in runs),
            max(loaded[name].ascent for name in used),
            max(loaded[name].descent for name in used),
            notdef,
        )
