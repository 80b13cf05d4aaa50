"""Stable IDs: an item that matches one in the earlier draft keeps its ID; locked items stay.

Items match by a key built from what identifies them (an interface's kind and name, a
requirement's statement, ...), never by position, so adding an item does not renumber the rest.
"""

from __future__ import annotations

import re
from typing import Any

from specagent.spec.model import ID_RE, Item, Spec

_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "goals": ("statement",),
    "non_goals": ("statement",),
    "users": ("name",),
    "user_stories": ("as_a", "i_want"),
    "requirements": ("statement",),
    "interfaces": ("kind", "name"),
    "data_contracts": ("role", "name"),
    "metrics": ("name", "sources"),
    "constraints": ("category", "statement"),
    "dependencies": ("kind", "name"),
    "architecture": ("name",),
    "risks": ("title",),
    "open_questions": ("question",),
}


def item_key(field: str, item: Item) -> str:
    """What identifies an item across drafts, independent of its ID and wording of details."""
    parts: list[str] = []
    for name in _KEY_FIELDS[field]:
        value: Any = getattr(item, name)
        if name == "sources":
            value = ",".join(sorted({c.path for c in value}))
        parts.append(re.sub(r"\W+", " ", str(value)).strip().lower())
    return f"{field}:" + "|".join(parts)


def _prefix(item_id: str) -> str:
    return item_id.split("-", 1)[0]


def assign_ids(spec: Spec, previous: Spec | None = None) -> Spec:
    """Renumber ``spec`` in place: reuse IDs from ``previous`` by key, keep its locked items.

    New items take the next free number of their prefix; numbers are never reused for a
    different item within one draft.
    """
    prev_by_key: dict[str, Item] = {}
    locked: dict[str, list[Item]] = {}
    used: dict[str, set[int]] = {}
    if previous is not None:
        for field, items in previous.item_lists():
            for item in items:
                prev_by_key.setdefault(item_key(field, item), item)
                if item.locked:
                    locked.setdefault(field, []).append(item)
                match = ID_RE.match(item.id)
                if match:
                    used.setdefault(match[1], set()).add(int(match[2]))
    if previous is not None and previous.overview.problem is not None and previous.overview.problem.locked:
        spec.overview.problem = previous.overview.problem
    for field, items in spec.item_lists():
        kept_locked = locked.get(field, [])
        locked_keys = {item_key(field, i) for i in kept_locked}
        locked_ids = {i.id for i in kept_locked}
        result: list[Item] = list(kept_locked)
        for item in items:
            key = item_key(field, item)
            if key in locked_keys:
                continue  # the person's version wins
            earlier = prev_by_key.get(key)
            if earlier is not None and _prefix(earlier.id) == _prefix(item.id) and earlier.id not in locked_ids:
                item.id = earlier.id
                taken = {i.id for i in result}
                if item.id not in taken:
                    result.append(item)
                    continue
            item.id = "?"
            result.append(item)
        for item in result:
            if item.id == "?":
                continue
            match = ID_RE.match(item.id)
            if match:
                used.setdefault(match[1], set()).add(int(match[2]))
        for item in result:
            if item.id != "?":
                continue
            prefix = _prefix_for(field, item)
            numbers = used.setdefault(prefix, set())
            number = max(numbers, default=0) + 1
            numbers.add(number)
            item.id = f"{prefix}-{number:03d}"
        result.sort(key=lambda i: (_prefix(i.id), int(i.id.split("-")[1])))
        items[:] = result
    return spec


_FIELD_PREFIX = {
    "goals": "G",
    "non_goals": "NG",
    "users": "U",
    "user_stories": "US",
    "interfaces": "IF",
    "data_contracts": "DC",
    "metrics": "SM",
    "constraints": "MC",
    "dependencies": "DEP",
    "architecture": "C",
    "risks": "RK",
    "open_questions": "OQ",
}


def _prefix_for(field: str, item: Item) -> str:
    if field == "requirements":
        return "NFR" if getattr(item, "kind", "") == "non_functional" else "FR"
    return _FIELD_PREFIX[field]
