"""Reading the catalogue's query string: what to search, which filters to apply, and what to
ignore (with a message saying why). Nothing here touches the database."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.languages import LANGUAGE_NAMES

from .models import Audience, CourseFacet, DeliveryMode, Level

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FILTER = 10
CONTROL_PARAMS = ("q", "page", "sort")
SORTS = ("relevance", "title", "newest")

_NON_WORD = re.compile(r"[^\w\s]+")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TOT_VALUES = {"yes": "yes", "1": "yes", "true": "yes", "no": "no", "0": "no", "false": "no"}

Facet = CourseFacet.Facet

# Filters whose values are fixed by the code (checked here) and those that name rows
# (checked against the catalogue's own facet rows by the selector).
FIXED_VALUES: dict[str, set[str]] = {
    Facet.LANGUAGE: set(LANGUAGE_NAMES),
    Facet.MODE: set(DeliveryMode.values),
    Facet.LEVEL: set(Level.values),
    Facet.AUDIENCE: set(Audience.values),
    Facet.TOT: {"yes", "no"},
}
ROW_PATTERNS: dict[str, re.Pattern] = {
    Facet.THEME: _SLUG,
    Facet.COUNTRY: _COUNTRY,
    Facet.INSTITUTION: _SLUG,
}
FILTER_ORDER = [
    Facet.THEME,
    Facet.COUNTRY,
    Facet.INSTITUTION,
    Facet.LANGUAGE,
    Facet.MODE,
    Facet.LEVEL,
    Facet.TOT,
    Facet.AUDIENCE,
]


@dataclass
class CatalogueQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: str = "1"
    sort: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def search_text(self) -> str:
        """The words to search for: punctuation is dropped so that no search backend reads it
        as query syntax (quotes, parentheses, wildcards)."""
        return " ".join(_NON_WORD.sub(" ", self.q).split())

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q else "title"

    def ignore(self, facet: str, value: str, reason: str) -> None:
        values = self.filters.get(facet, [])
        if value in values:
            values.remove(value)
            if not values:
                self.filters.pop(facet)
        self.notices.append(
            _("Ignored filter %(name)s=“%(value)s”: %(reason)s")
            % {"name": facet, "value": value[:40], "reason": reason}
        )

    def params(self, **overrides) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        q = overrides.get("q", self.q)
        if q:
            items.append(("q", q))
        filters = overrides.get("filters", self.filters)
        for facet in FILTER_ORDER:
            items.extend((str(facet), value) for value in filters.get(facet, []))
        sort = overrides.get("sort", self.sort)
        if sort:
            items.append(("sort", sort))
        page = overrides.get("page")
        if page and str(page) != "1":
            items.append(("page", str(page)))
        return items

    def url(self, **overrides) -> str:
        params = self.params(**overrides)
        return "?" + urlencode(params) if params else "?"

    def toggled(self, facet: str, value: str) -> str:
        """The query string with one filter value switched on or off (back to page 1)."""
        filters = {key: list(values) for key, values in self.filters.items()}
        values = filters.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return self.url(filters=filters)

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    @property
    def has_filters(self) -> bool:
        return bool(self.q or self.filters)


def _clean_text(raw: str) -> str:
    # Drop control characters (PostgreSQL refuses NUL) and collapse whitespace.
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return " ".join(text.split())


def parse_catalogue_query(data: QueryDict) -> CatalogueQuery:
    query = CatalogueQuery()

    q = _clean_text(data.get("q", ""))
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or q[:MAX_QUERY_LENGTH]
        query.notices.append(
            _("The search text was shortened to its first %(n)d characters.")
            % {"n": MAX_QUERY_LENGTH}
        )
    query.q = q

    page = data.get("page", "1").strip()
    if not page.isdigit() or not 0 < int(page) < 10**6:
        query.notices.append(
            _("Ignored page=“%(value)s”: the page must be a whole number from 1.")
            % {"value": page[:20]}
        )
        page = "1"
    query.page = page

    sort = data.get("sort", "").strip()
    if sort and sort not in SORTS:
        query.notices.append(
            _("Ignored sort=“%(value)s”: choose one of %(choices)s.")
            % {"value": sort[:20], "choices": ", ".join(SORTS)}
        )
        sort = ""
    if sort == "relevance" and not q:
        sort = ""
    query.sort = sort

    for name in data:
        if name in CONTROL_PARAMS:
            continue
        if name not in FIXED_VALUES and name not in ROW_PATTERNS:
            query.notices.append(
                _("Ignored unknown filter “%(name)s”.") % {"name": _clean_text(name)[:40]}
            )
            continue
        seen: list[str] = []
        for raw in data.getlist(name):
            value = _clean_text(raw)
            if not value:
                continue
            if name == Facet.COUNTRY:
                value = value.upper()
            elif name == Facet.TOT:
                value = _TOT_VALUES.get(value.lower(), value)
            elif name != Facet.INSTITUTION:
                value = value.lower()
            if value in seen:
                continue
            if len(seen) >= MAX_VALUES_PER_FILTER:
                query.notices.append(
                    _("Ignored values of %(name)s beyond the first %(n)d.")
                    % {"name": name, "n": MAX_VALUES_PER_FILTER}
                )
                break
            if name in FIXED_VALUES and value not in FIXED_VALUES[name]:
                query.notices.append(
                    _("Ignored filter %(name)s=“%(value)s”: not a known value.")
                    % {"name": name, "value": value[:40]}
                )
                continue
            if name in ROW_PATTERNS and not ROW_PATTERNS[name].match(value):
                query.notices.append(
                    _("Ignored filter %(name)s=“%(value)s”: malformed value.")
                    % {"name": name, "value": value[:40]}
                )
                continue
            seen.append(value)
        if seen:
            query.filters[name] = seen
    return query
