"""The network's one rule for showing counts of people: a count between 1 and 4 could point at
a person, so viewers who are not organisers see it as "<5", and a rate whose base is under 5
is not shown to them at all. Reports and cascades both show figures through these functions."""

from __future__ import annotations

SMALL_CELL = 5


def too_small(count, *, suppress: bool) -> bool:
    """Whether a count of people must be hidden from this viewer (zero is not: it names no one)."""
    return bool(suppress and isinstance(count, int) and 0 < count < SMALL_CELL)


def cell(value, *, suppress: bool):
    """A count of people as this viewer may see it: the number, or "<5"."""
    return f"<{SMALL_CELL}" if too_small(value, suppress=suppress) else value


def rate(part: int, whole: int, *, suppress: bool = False) -> int | None:
    """A percentage, or None where there is no base or (for suppressed viewers) a base of
    fewer than 5 people."""
    if not whole or (suppress and whole < SMALL_CELL):
        return None
    return round(100 * part / whole)


def base_shown(base: int, *, suppress: bool) -> bool:
    """Whether a figure computed over ``base`` people may be shown to this viewer."""
    return not suppress or base >= SMALL_CELL
