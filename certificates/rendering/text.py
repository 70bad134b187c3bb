"""Text: cleaning, names as printed, codes, and fitting lines and paragraphs into their boxes
(faces and shaping in certificates/typesetting.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from certificates import typesetting

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
