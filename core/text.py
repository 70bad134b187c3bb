"""People's text inside the platform's own: names, titles and free text in any direction.

A name written right to left (Arabic, Dari, Pashto, Hebrew) inside a left-to-right page or
e-mail must be isolated, or the bidirectional algorithm lets it pull the punctuation and
numbers around it to the wrong side ("(محمد) 3" shown as "3 (محمد)"). HTML has `<bdi>` and
`dir="auto"`; plain text has the Unicode isolates, used here only where they are needed so
that left-to-right text stays byte for byte as it was.
"""

import unicodedata

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text or "")


def isolate(text: str) -> str:
    """``text`` between first-strong and pop isolates when it holds right-to-left letters."""
    text = text or ""
    if not has_right_to_left(text):
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
