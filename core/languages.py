"""Languages of training content across the OSCE region (ISO 639-1 codes)."""

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

_CODES = [
    "en", "ru", "fr", "de", "it", "es", "tr", "sr", "hr", "bs", "sq", "mk", "sl", "bg", "ro",
    "uk", "be", "pl", "cs", "sk", "hu", "lt", "lv", "et", "el", "ka", "hy", "az", "kk", "ky",
    "tg", "tk", "uz", "mn", "ar", "he", "fa", "ps",
]  # fmt: skip

# Names Django's own table lacks (marked for this project's catalogue).
_EXTRA_NAMES = {
    "tg": gettext_noop("Tajik"),
    "tk": gettext_noop("Turkmen"),
    "ps": gettext_noop("Pashto"),
    "ka": gettext_noop("Georgian"),
}


def _name(code: str) -> str:
    info = LANG_INFO.get(code)
    return info["name"] if info else _EXTRA_NAMES.get(code, code)


LANGUAGE_CHOICES: list[tuple[str, str]] = [(code, _(_name(code))) for code in _CODES]
LANGUAGE_NAMES: dict[str, str] = dict(LANGUAGE_CHOICES)
