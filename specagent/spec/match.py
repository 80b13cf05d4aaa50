"""Which item of one spec is which item of another, when wording, names or places changed.

Shared by ``draft --update`` (a matched item keeps its ID), ``diff`` (a matched pair is one
changed item, not one removed and one added) and ``drift``. Tiers, strongest first, each
one-to-one within an item list and within one kind (an HTTP route never matches a CLI command):

1. the same :func:`~specagent.spec.ids.item_key` (kind and name, statement, ...);
2. the same identity: a route's handler, a CLI command's or library module's functions, a data
   model's or variable's name;
3. a shared citation hash: the same lines, wherever they moved (a function moved to a new file);
4. text similarity of what the item says, above :data:`SIMILAR`, when one side has no identity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from specagent.spec.ids import item_key
from specagent.spec.model import Item, item_text

#: Text similarity (difflib ratio over an item's words) above which two items are one.
SIMILAR = 0.72


def _norm(text: str | None) -> str:
    return re.sub(r"\W+", " ", str(text or "")).strip().lower()


def item_kind(field: str, item: Item) -> str:
    """The kind an item must share with its match: an interface's or dependency's kind, a contract's role."""
    for attr in ("kind", "role", "category"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return f"{field}:{value}"
    return field


def identities(field: str, item: Item) -> set[str]:
    """Names that identify an item however it is worded (empty when it has none)."""
    out: set[str] = set()
    kind = getattr(item, "kind", None)
    if field == "interfaces":
        if kind == "http" and getattr(item, "signature", None):
            out.add("handler:" + _norm(item.signature))  # type: ignore[attr-defined]
        elif kind in ("cli", "schedule", "ui", "file", "event", "other"):
            out.add("name:" + _norm(getattr(item, "name", "")))
        elif kind == "library":
            # A module's public functions identify it when it is renamed or moved.
            names = sorted(_norm(p.name) for p in getattr(item, "parameters", []))
            if names:
                out.add("functions:" + "|".join(names))
            out.add("name:" + _norm(getattr(item, "name", "")))
    elif field in ("data_contracts", "dependencies", "metrics", "architecture", "users"):
        out.add("name:" + _norm(getattr(item, "name", "")))
    out.discard("name:")
    out.discard("handler:")
    return out


def source_hashes(item: Item) -> set[str]:
    """The hashes of an item's cited lines."""
    return {c.hash for c in item.sources if c.hash}


def similarity(a: Item, b: Item) -> float:
    """How alike two items read, 0..1 (difflib's ratio over their words)."""
    return SequenceMatcher(None, _norm(item_text(a)), _norm(item_text(b)), autojunk=False).ratio()


def match_items(field: str, old: Sequence[Item], new: Sequence[Item]) -> list[tuple[Item, Item]]:
    """Pairs ``(old item, new item)`` that are the same item; each item is in one pair at most."""
    pairs: list[tuple[Item, Item]] = []
    free_old = list(old)
    free_new = list(new)

    def take(score: Callable[[Item, Item], float], floor: float) -> None:
        scored = []
        for i, a in enumerate(free_old):
            for j, b in enumerate(free_new):
                if item_kind(field, a) != item_kind(field, b):
                    continue
                value = score(a, b)
                if value >= floor:
                    scored.append((-value, i, j))
        used_old: set[int] = set()
        used_new: set[int] = set()
        for _, i, j in sorted(scored):
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            pairs.append((free_old[i], free_new[j]))
        free_old[:] = [a for i, a in enumerate(free_old) if i not in used_old]
        free_new[:] = [b for j, b in enumerate(free_new) if j not in used_new]

    take(lambda a, b: 1.0 if item_key(field, a) == item_key(field, b) else 0.0, 1.0)
    take(lambda a, b: 1.0 if identities(field, a) & identities(field, b) else 0.0, 1.0)

    def shared_lines(a: Item, b: Item) -> float:
        ha, hb = source_hashes(a), source_hashes(b)
        return len(ha & hb) / max(len(ha | hb), 1)

    take(shared_lines, 0.5)
    if free_old and free_new and len(free_old) * len(free_new) <= 40_000:  # bounded: quadratic in the rest
        # Named things (a package, a model, a route handler) are told apart by name, not wording:
        # "gone" and "new-one" read alike as two packages but are two items.
        take(lambda a, b: 0.0 if identities(field, a) and identities(field, b) else similarity(a, b), SIMILAR)
    return pairs
