"""Time zones by their IANA names, and each country's usual one.

The names come from the IANA time zone database as the ``tzdata`` package ships it (the same
data ``zoneinfo`` reads): the zones of ``zone.tab``, one or more per country, plus UTC, without
the database's old aliases (``Europe/Kiev``, ``US/Eastern``...). A country's zone is its first in
``zone.tab``, or, where a country spans several zones and the first is not its capital's, the
capital's (``CAPITALS``); a person may always choose another."""

from __future__ import annotations

import functools
import zoneinfo
from importlib import resources

# Countries of the network whose first zone in zone.tab is not their capital's.
CAPITALS = {
    "AU": "Australia/Sydney",  # Canberra; zone.tab starts with Lord Howe Island
    "CA": "America/Toronto",  # Ottawa; zone.tab starts with Newfoundland
    "RU": "Europe/Moscow",  # zone.tab starts with Kaliningrad
    "UA": "Europe/Kyiv",  # zone.tab starts with Simferopol
    "UZ": "Asia/Tashkent",  # zone.tab starts with Samarkand
}


@functools.cache
def _zone_table() -> tuple[tuple[str, str], ...]:
    """(country code, zone name) in zone.tab's order."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _coordinates, name, *_comment = line.split("\t")
        rows.append((code, name))
    return tuple(rows)


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every zone a run may be held in, sorted: the zones of some country, and UTC."""
    available = zoneinfo.available_timezones()
    return tuple(sorted({name for _code, name in _zone_table() if name in available} | {"UTC"}))


def country_time_zone(code: str | None) -> str:
    """The usual time zone of a country (ISO 3166-1 alpha-2), or UTC for none or an unknown."""
    if not code:
        return "UTC"
    code = code.upper()
    if code in CAPITALS:
        return CAPITALS[code]
    for country, name in _zone_table():
        if country == code:
            return name
    return "UTC"
