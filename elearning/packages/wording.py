"""How problems are worded: names and tags shown, numbers and sizes in the reader's language."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element
from . import limits
from .limits import _IRI_SCHEME, KB, MB
from .results import PackageError

# --- Helpers -------------------------------------------------------------------------------------


def _first_text(elements: Iterable[Element]) -> str:
    for element in elements:
        text = "".join(element.itertext()).strip()
        if text:
            return text
    return ""


def _is_iri(value: str) -> bool:
    return bool(_IRI_SCHEME.match(value)) and not any(char.isspace() for char in value)


def _show(name: str) -> str:
    """An entry name fit for a message: control characters are escaped."""
    if any(unicodedata.category(char) == "Cc" for char in name):
        return repr(name)[1:-1]
    return name


def _show_tag(tag: str) -> str:
    if tag.startswith("{"):
        namespace, _separator, local = tag[1:].partition("}")
        return _("<%(tag)s> in the namespace %(namespace)s") % {
            "tag": local,
            "namespace": namespace,
        }
    return _("<%(tag)s> without a namespace") % {"tag": tag}


def _package_label(filename: str) -> str:
    """How messages about the whole package name it, in the active language."""
    if filename:
        return _("The package “%(file)s”") % {"file": _show(filename)}
    return _("The package")


def _number(value: int) -> str:
    """A whole number with the active language's digit grouping ("12,000", "12 000")."""
    return number_format(value, force_grouping=True)


def _bytes(value: int) -> str:
    """An exact size in bytes ("2,000 bytes")."""
    return ngettext("%(count)s byte", "%(count)s bytes", value) % {"count": _number(value)}


def _sizes(value: int, limit: int) -> dict[str, str]:
    """``size`` and ``limit`` for a message about a size over its limit, both in the limit's unit
    ("240 MB" and "200 MB"), with enough decimals that the size visibly exceeds the limit."""
    unit = MB if limit >= MB else KB if limit >= KB else 1
    amount = value / unit
    decimals = 0 if round(amount, 1).is_integer() else 1
    while decimals < 3 and round(amount, decimals) <= limit / unit:
        decimals += 1
    if unit == 1 or round(amount, decimals) <= limit / unit:
        return {"size": _bytes(value), "limit": _bytes(limit)}
    limit_amount = limit / unit
    limit_decimals = 0 if round(limit_amount, 1).is_integer() else 1
    return {
        "size": _in_unit(amount, unit, decimals),
        "limit": _in_unit(limit_amount, unit, limit_decimals),
    }


def _in_unit(amount: float, unit: int, decimals: int) -> str:
    # number_format() cuts extra decimals off; round first.
    number = number_format(round(amount, decimals), decimal_pos=decimals, force_grouping=True)
    if unit == MB:
        return _("%(size)s MB") % {"size": number}
    return _("%(size)s KB") % {"size": number}


def _title_from_filename(filename: str) -> str:
    leaf = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return leaf[:-4] if leaf.lower().endswith(".zip") else leaf


def _raise_if_any(problems: list[str]) -> None:
    if not problems:
        return
    if len(problems) > limits.MAX_REPORTED_PROBLEMS:
        extra = len(problems) - limits.MAX_REPORTED_PROBLEMS
        more = ngettext(
            "… and %(count)s more problem.", "… and %(count)s more problems.", extra
        ) % {"count": _number(extra)}
        problems = [*problems[: limits.MAX_REPORTED_PROBLEMS], more]
    raise PackageError(problems)
