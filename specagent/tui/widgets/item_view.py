"""The middle pane: the selected item (or section) rendered as Markdown."""

from __future__ import annotations

from typing import Any

from textual.widgets import Markdown

from specagent.spec.diff import item_title
from specagent.spec.model import Item

_SKIP = {"id", "sources", "provenance", "locked"}


def _value(value: Any, indent: str) -> list[str]:
    if isinstance(value, list):
        out = []
        for entry in value:
            if isinstance(entry, dict):
                parts = [f"{k}: {v}" for k, v in entry.items() if v not in (None, "", [], False)]
                out.append(f"{indent}- " + "; ".join(parts))
            else:
                out.append(f"{indent}- {entry}")
        return out
    if isinstance(value, dict):
        return [f"{indent}- {k}: {v}" for k, v in value.items() if v is not None]
    return []


def item_markdown(item: Item, findings: list[str] | None = None) -> str:
    """An item as Markdown: title, provenance and lock, each field, its sources and findings."""
    tags = [f"*{item.provenance}*"] + (["**locked**"] if item.locked else [])
    lines = [f"## {item.id} {item_title(item)}", "", " · ".join(tags), ""]
    for key, value in item.model_dump(mode="json").items():
        if key in _SKIP or value in (None, "", [], {}):
            continue
        label = key.replace("_", " ")
        if isinstance(value, list | dict):
            lines.append(f"- **{label}**:")
            lines.extend(_value(value, "  "))
        else:
            lines.append(f"- **{label}**: {value}")
    if item.sources:
        lines += ["", "**Sources**: " + ", ".join(f"`{c.label()}`" for c in item.sources)]
    if findings:
        lines += ["", "**Check findings**:", *(f"- {f}" for f in findings)]
    return "\n".join(lines) + "\n"


class ItemView(Markdown):
    """Markdown of whatever the tree's cursor is on."""
