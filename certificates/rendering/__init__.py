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

A package by concern (content, text, images, qr, page); callers use the names re-exported
here."""

from .content import (
    CREATOR,
    Content,
    Layout,
    Signatory,
)
from .page import (
    DrawnBox,
    render,
)
from .qr import (
    build_qr_widget,
)
from .text import (
    format_code,
    missing_characters,
    name_with_latin,
    same_name,
)

__all__ = [
    "CREATOR",
    "Content",
    "DrawnBox",
    "Layout",
    "Signatory",
    "build_qr_widget",
    "format_code",
    "missing_characters",
    "name_with_latin",
    "render",
    "same_name",
]
