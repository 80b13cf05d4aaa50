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


def _content(item: Item) -> dict[str, Any]:
    """What a person can edit in SPEC.md: everything but the citation hashes (spec.json only)."""
    data = item.model_dump(mode="json", exclude={"locked"})
    for source in data.get("sources", []):
        source.pop("hash", None)
    return data


def edited_items(previous: Spec | None, edited: Spec | None) -> tuple[dict[str, list[Item]], set[str]]:
    """A person's changes in SPEC.md against the generated spec.json.

    Returns (field -> items the person wrote or changed, kept as written) and the IDs the person
    deleted. Locked items count as written whatever their content.
    """
    kept: dict[str, list[Item]] = {}
    deleted: set[str] = set()
    if edited is None:
        return kept, deleted
    before = {item.id: item for _, items in previous.item_lists() for item in items} if previous else {}
    after_ids: set[str] = set()
    for field, items in edited.item_lists():
        for item in items:
            after_ids.add(item.id)
            earlier = before.get(item.id)
            if item.locked or earlier is None or _content(earlier) != _content(item):
                kept.setdefault(field, []).append(item)
    if previous is not None and edited is not previous:
        deleted = set(before) - after_ids
    return kept, deleted


def assign_ids(
    spec: Spec, previous: Spec | None = None, edited: Spec | None = None, *, keep_edits: bool = False
) -> Spec:
    """Renumber ``spec`` in place so that IDs are stable across drafts.

    ``previous`` is what specagent generated last time (spec.json): a new item that matches one
    there (:func:`specagent.spec.match.match_items`: key, identity, cited lines, wording) takes its
    ID. ``edited`` is the person's SPEC.md (defaults to ``previous``): its locked items are kept
    verbatim and replace the drafted item they match, so editing a locked item never duplicates
    it. With ``keep_edits`` (``draft --update``) every item the person changed or added is kept
    as written too, and an item the person deleted stays deleted. New items take the next free
    number of their prefix; a number once used is never given to another item: IDs that drop
    out are recorded in ``meta.retired_ids``.
    """
    edited = edited if edited is not None else previous
    used, retired = _numbers_in_use(previous, edited)
    if keep_edits:
        kept, deleted = edited_items(previous, edited)
    else:
        kept = {}
        deleted = set()
        if edited is not None:
            for field, items in edited.item_lists():
                kept[field] = [item for item in items if item.locked]
    if edited is not None and edited.overview.problem is not None:
        written = previous.overview.problem if previous is not None else None
        problem = edited.overview.problem
        if problem.locked or (keep_edits and (written is None or written.text != problem.text)):
            spec.overview.problem = problem
    prev_lists = dict(previous.item_lists()) if previous is not None else {}
    next_free: dict[str, int] = {}
    for field, items in spec.item_lists():
        earlier_items = [i for i in prev_lists.get(field, []) if i.id not in retired]
        result = _carry_ids(field, items, kept.get(field, []), earlier_items, deleted)
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
    final = {item.id for _, items in spec.item_lists() for item in items}
    for reference in (previous, edited):
        if reference is not None:
            retired.update(item.id for _, items in reference.item_lists() for item in items if item.id not in final)
    retired -= final
    spec.meta.retired_ids = sorted(retired, key=lambda i: (_prefix(i), int(i.split("-")[1])))
    return spec


def _numbers_in_use(previous: Spec | None, edited: Spec | None) -> tuple[dict[str, set[int]], set[str]]:
    """(prefix -> numbers used by either spec or retired, retired IDs): numbers never reused."""
    used: dict[str, set[int]] = {}
    retired: set[str] = set()
    for reference in (previous, edited):
        if reference is None:
            continue
        retired.update(reference.meta.retired_ids)
        for _, items in reference.item_lists():
            for item in items:
                _note_number(used, item.id)
    for item_id in retired:
        _note_number(used, item_id)
    return used, retired


def _carry_ids(
    field: str, items: list[Item], kept_here: list[Item], earlier_items: list[Item], deleted: set[str]
) -> list[Item]:
    """The person's kept items, then each drafted item under the ID of the earlier item it
    matches (``"?"`` when it needs a new one); drafted items the person's version replaces, or
    that the person deleted, are left out."""
    from specagent.spec.match import match_items  # match imports this module's item_key

    taken = {i.id for i in kept_here}
    # The person's version wins over the drafted item it matches (by ID in the old draft, or as an item).
    matched_kept = {id(new) for _, new in match_items(field, kept_here, items)}
    remaining = [i for i in items if id(i) not in matched_kept]
    to_earlier = {id(new): old for old, new in match_items(field, earlier_items, remaining)}
    result: list[Item] = list(kept_here)
    for item in remaining:
        earlier = to_earlier.get(id(item))
        if earlier is not None and (earlier.id in taken and earlier.id in {i.id for i in kept_here}):
            continue  # the person's locked or edited version of this item wins
        if earlier is not None and earlier.id in deleted:
            continue  # the person deleted it; a re-draft does not bring it back
        if earlier is not None and _prefix(earlier.id) == _prefix(item.id) and earlier.id not in taken:
            item.id = earlier.id
            taken.add(item.id)
        else:
            item.id = "?"
        result.append(item)
    return result
