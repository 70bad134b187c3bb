"""The compact page-body format of the demo's data files (demo/data/README.md describes it) and
the StreamField blocks it becomes.

A body is one text whose blocks are separated by blank lines; the lines of a block are folded
into one line. `parse` turns it into items (a string per heading or paragraph, a dict per
callout or learning-outcomes block); `stream` turns items into (block name, value) pairs."""

from __future__ import annotations

import html
import re

from wagtail.rich_text import RichText

STYLES = ("key_points", "note", "warning", "legal")


def fold(text: str) -> str:
    """The lines of `text` joined by single spaces (wrapped prose back on one line)."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _points(lines: list[str], where: str) -> list[str]:
    """Items of a list: each starts with "- "; indented lines continue the item above."""
    points: list[str] = []
    for line in lines:
        if line.startswith("- "):
            points.append(line[2:].strip())
        elif points and line[:1].isspace():
            points[-1] = f"{points[-1]} {line.strip()}"
        else:
            raise ValueError(
                f"{where}: every line of a list starts with '- ' or continues an item indented, "
                f"not {line.strip()[:40]!r}"
            )
    if not points:
        raise ValueError(f"{where}: a callout needs at least one '- ' point")
    return points


def parse(text: str) -> list[str | dict]:
    """The items of a body text. Raises ValueError naming the block and the rule."""
    items: list[str | dict] = []
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    for number, block in enumerate(blocks, 1):
        lines = [line.rstrip() for line in block.strip("\n").splitlines() if line.strip()]
        first = lines[0].strip()
        where = f"block {number} ({first[:30]!r})"
        if first.startswith("!"):
            kind, _, title = first[1:].partition(" ")
            if kind == "outcomes":
                item = {"intro": title.strip(), "outcomes": _points(lines[1:], where)}
            elif kind in STYLES:
                item = {"style": kind, "title": title.strip(), "points": _points(lines[1:], where)}
            else:
                raise ValueError(
                    f"{where}: unknown block !{kind} (known: "
                    + ", ".join(f"!{name}" for name in (*STYLES, "outcomes"))
                    + ")"
                )
            items.append(item)
        elif first.startswith("- "):
            items.append({"points": _points(lines, where)})
        else:
            items.append(fold(block))
    return items


def stream(items: list) -> list[tuple[str, object]]:
    """StreamField (block name, value) pairs of parsed body items."""
    blocks: list[tuple[str, object]] = []
    for item in items:
        if isinstance(item, dict) and "outcomes" in item:
            blocks.append(("learning_outcomes", {"intro": item.get("intro", ""), **item}))
        elif isinstance(item, dict):
            blocks.append(
                (
                    "callout",
                    {
                        "style": item.get("style", "key_points"),
                        "title": item.get("title", ""),
                        "points": list(item["points"]),
                    },
                )
            )
        elif item.startswith("### "):
            blocks.append(("heading", {"text": item[4:], "level": "h3"}))
        elif item.startswith("## "):
            blocks.append(("heading", {"text": item[3:], "level": "h2"}))
        elif item.startswith("<"):
            blocks.append(("paragraph", RichText(item)))
        else:
            blocks.append(("paragraph", RichText(f"<p>{html.escape(item, quote=False)}</p>")))
    return blocks
