"""What a certificate says and how its template looks: the renderer's input types."""

from __future__ import annotations

from dataclasses import dataclass

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
