"""Stable IDs: an item that matches one in the earlier draft keeps its ID; locked items stay.

Items match by a key built from what identifies them (an interface's kind and name, a
requirement's statement, ...), never by position, so adding an item does not renumber the rest.
"""

from __future__ import annotations

import re
from typing import Any

from specagent.spec.model import ID_RE, Item, Spec, id_prefix

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
            # Where it was first measured identifies a metric; later corroborating citations don't.
            value = value[0].path if value else ""
        parts.append(re.sub(r"\W+", " ", str(value)).strip().lower())
    return f"{field}:" + "|".join(parts)


def _prefix(item_id: str) -> str:
    return item_id.split("-", 1)[0]


def _note_number(used: dict[str, set[int]], item_id: str) -> None:
    match = ID_RE.match(item_id)
    if match:
        used.setdefault(match[1], set()).add(int(match[2]))


def assign_ids(spec: Spec, previous: Spec | None = None, edited: Spec | None = None) -> Spec:
    """Renumber ``spec`` in place so that IDs are stable across drafts.

    ``previous`` is what specagent generated last time (spec.json): a new item whose key matches
    one there takes its ID. ``edited`` is the person's SPEC.md (defaults to ``previous``): its
    locked items are kept verbatim and replace the drafted item that holds their ID or key, so
    editing a locked item never duplicates it. New items take the next free number of their
    prefix; a number is never reused for a different item.
    """
    edited = edited if edited is not None else previous
    prev_by_key: dict[str, Item] = {}
    locked: dict[str, list[Item]] = {}
    used: dict[str, set[int]] = {}
    for reference in (previous, edited):
        if reference is None:
            continue
        for _, items in reference.item_lists():
            for item in items:
                _note_number(used, item.id)
    if previous is not None:
        for field, items in previous.item_lists():
            for item in items:
                prev_by_key.setdefault(item_key(field, item), item)
    if edited is not None:
        for field, items in edited.item_lists():
            locked[field] = [item for item in items if item.locked]
        if edited.overview.problem is not None and edited.overview.problem.locked:
            spec.overview.problem = edited.overview.problem
    next_free: dict[str, int] = {}
    for field, items in spec.item_lists():
        kept_locked = locked.get(field, [])
        locked_keys = {item_key(field, i) for i in kept_locked}
        locked_ids = {i.id for i in kept_locked}
        taken = set(locked_ids)
        result: list[Item] = list(kept_locked)
        for item in items:
            key = item_key(field, item)
            earlier = prev_by_key.get(key)
            if key in locked_keys or (earlier is not None and earlier.id in locked_ids):
                continue  # the person's locked version of this item wins
            if earlier is not None and _prefix(earlier.id) == _prefix(item.id) and earlier.id not in taken:
                item.id = earlier.id
                taken.add(item.id)
            else:
                item.id = "?"
            result.append(item)
        for item in result:
            if item.id != "?":
                continue
            prefix = id_prefix(field, item)
            if prefix not in next_free:  # seeded once: numbers only grow, never reused
                next_free[prefix] = max(used.get(prefix, ()), default=0) + 1
            item.id = f"{prefix}-{next_free[prefix]:03d}"
            next_free[prefix] += 1
        result.sort(key=lambda i: (_prefix(i.id), int(i.id.split("-")[1])))
        items[:] = result
    return spec
