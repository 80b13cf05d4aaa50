"""The semantic diff of two specs, for pull-request review.

Items match by ID first; an item whose ID is gone but whose :func:`~specagent.spec.ids.item_key`
matches a new item is *renumbered*, not removed and added. For a matched item the diff names the
fields whose content changed, and reports citations apart: a citation whose lines shifted (same
file, cell and quote) is a *move*, so a reviewer can tell a real change from an edit above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field

from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.match import match_items
from specagent.spec.model import SECTION_PREFIXES, Citation, Item, Problem, Spec, UserStory, item_text

Status = Literal["added", "removed", "changed", "renumbered", "moved"]

#: One character per status, the way ``git diff --name-status`` marks files.
MARKERS: dict[str, str] = {"added": "+", "removed": "-", "changed": "~", "renumbered": "R", "moved": "="}

#: Item-list field of the Spec -> the section it belongs to (goals, non-goals, users: overview).
_FIELD_SECTION: dict[str, str] = {"goals": "overview", "non_goals": "overview", "users": "overview"}

# What validate_spec writes when it demotes an uncited "observed" item to an open question.
_DEMOTED_RE = re.compile(r"^Unverified \((?P<field>\w+)\): (?P<text>.*)$", re.DOTALL)
_WIDTH = 60
#: Fields item_title reads: a change to one of them is itself the headline.
_TITLE_FIELDS = frozenset({"text", "name", "title", "statement", "question", "as_a", "i_want"})


class FieldChange(BaseModel):
    """One field of an item whose value changed (values as in ``model_dump``)."""

    field: str
    old: Any = None
    new: Any = None

    def summary(self) -> str:
        """``baseline 0.81 -> 0.84``, ``parameters +limit -page``, ``statement "..." -> "..."``."""
        if self.field == "baseline":
            return f"baseline {_baseline(self.old)} -> {_baseline(self.new)}"
        if isinstance(self.old, list) or isinstance(self.new, list):
            return f"{self.field} {_list_change(self.old or [], self.new or [])}"
        if isinstance(self.old, str) and isinstance(self.new, str) and self.field != "provenance":
            old, new = _clip_pair(self.old, self.new)
            return f'{self.field} "{old}" -> "{new}"'
        return f"{self.field} {_scalar(self.old)} -> {_scalar(self.new)}"


class CitationChange(BaseModel):
    """An item's citations before and after; ``lines_only`` when only line numbers moved."""

    old: list[Citation] = Field(default_factory=list)
    new: list[Citation] = Field(default_factory=list)
    lines_only: bool = False

    def summary(self) -> str:
        """``citations moved app.py:7-9 -> app.py:9-11`` or ``citations README.md:1 -> notes.md:4``."""
        word = "citations moved" if self.lines_only else "citations"
        if self.lines_only:
            pairs = [
                f"{a.label()} -> {b.label()}" for a, b in zip(_by_place(self.old), _by_place(self.new), strict=True)
            ]
            pairs = [p for p in pairs if p.split(" -> ")[0] != p.split(" -> ")[1]]
            return f"{word} {', '.join(pairs)}"
        old = ", ".join(c.label() for c in self.old) or "none"
        new = ", ".join(c.label() for c in self.new) or "none"
        if old == new:  # same places, other words there: the quoted text changed
            where = [b.label() for a, b in zip(self.old, self.new, strict=True) if a.quote != b.quote]
            return f"cited text changed at {', '.join(where) or new}"
        return f"{word} {old} -> {new}"


class ItemChange(BaseModel):
    """What happened to one item (or to the problem statement, ``id`` ``problem``)."""

    section: str
    status: Status
    id: str
    old_id: str | None = Field(default=None, description="The ID in the old spec when it was renumbered.")
    title: str
    changes: list[FieldChange] = Field(default_factory=list)
    citations: CitationChange | None = None
    locked: bool = Field(default=False, description="A locked item was edited, renumbered or removed.")
    provenance: tuple[str, str] | None = Field(default=None, description="(old, new) when provenance changed.")
    demoted_to: str | None = Field(default=None, description="The open question a removed item became.")
    demoted_from: str | None = Field(default=None, description="The item an added open question came from.")

    @property
    def marker(self) -> str:
        return MARKERS[self.status]

    def detail(self) -> str:
        """The line after the marker and ID: the title, then what changed."""
        parts: list[str] = []
        if self.status == "renumbered":
            parts.append(f"(was {self.old_id})")
        what = [c.summary() for c in self.changes]
        if self.citations is not None:
            what.append(self.citations.summary())
        # A changed title shows in its own field change; repeating it first would say it twice.
        if not any(c.field in _TITLE_FIELDS for c in self.changes):
            parts.append(self.title + (":" if what else ""))
        if what:
            parts.append("; ".join(what))
        if self.demoted_to:
            parts.append(f"-> demoted to {self.demoted_to}")
        if self.demoted_from:
            parts.append(f"(demoted from {self.demoted_from})")
        return " ".join(parts)

    def line(self) -> str:
        """``+ FR-004 The ...``, ``~ SM-001 accuracy: baseline 0.81 -> 0.84``."""
        flag = "  [locked item edited]" if self.locked else ""
        return f"{self.marker} {self.id} {self.detail()}{flag}"


class SectionCounts(BaseModel):
    """How many items of one section were added, removed, changed, renumbered, or only moved."""

    section: str
    added: int = 0
    removed: int = 0
    changed: int = 0
    renumbered: int = 0
    moved: int = 0

    @property
    def total(self) -> int:
        return self.added + self.removed + self.changed + self.renumbered + self.moved


class MetaChange(BaseModel):
    """The prototype behind the two drafts: file and line counts, fingerprint."""

    files: tuple[int, int]
    lines: tuple[int, int]
    fingerprint: tuple[str, str]

    def summary(self) -> str:
        """One line: ``files 3 -> 4, lines 13 -> 20, fingerprint bd517283 -> 71d7def1``."""
        parts = []
        if self.files[0] != self.files[1]:
            parts.append(f"files {self.files[0]} -> {self.files[1]}")
        if self.lines[0] != self.lines[1]:
            parts.append(f"lines {self.lines[0]} -> {self.lines[1]}")
        if self.fingerprint[0] != self.fingerprint[1]:
            old, new = (f[:8] or "none" for f in self.fingerprint)
            parts.append(f"fingerprint {old} -> {new}")
        return ", ".join(parts)


class SpecDiff(BaseModel):
    """Everything that differs between two specs, in section order, then ID order."""

    items: list[ItemChange] = Field(default_factory=list)
    meta: MetaChange | None = None

    @property
    def empty(self) -> bool:
        return not self.items and self.meta is None

    def counts(self) -> list[SectionCounts]:
        """Counts for every section, in document order (zeros included)."""
        table = {s: SectionCounts(section=s) for s in SECTION_PREFIXES}
        for change in self.items:
            counts = table[change.section]
            setattr(counts, change.status, getattr(counts, change.status) + 1)
        return list(table.values())

    def totals(self) -> SectionCounts:
        total = SectionCounts(section="total")
        for counts in self.counts():
            for status in MARKERS:
                setattr(total, status, getattr(total, status) + getattr(counts, status))
        return total

    @property
    def removed(self) -> list[ItemChange]:
        return [c for c in self.items if c.status == "removed"]

    @property
    def locked_edits(self) -> list[ItemChange]:
        return [c for c in self.items if c.locked]

    @property
    def provenance_changes(self) -> list[ItemChange]:
        return [c for c in self.items if c.provenance is not None or c.demoted_to]

    def to_json(self, old: str = "", new: str = "") -> dict[str, Any]:
        """A machine-readable dict: counts per section, meta, and items with their summaries."""
        items = []
        for change in self.items:
            data = change.model_dump(mode="json")
            data["line"] = change.line()
            for field, dumped in zip(change.changes, data["changes"], strict=True):
                dumped["summary"] = field.summary()
            if change.citations is not None:
                data["citations"]["summary"] = change.citations.summary()
            items.append(data)
        meta = None if self.meta is None else self.meta.model_dump(mode="json") | {"summary": self.meta.summary()}
        return {
            "old": old,
            "new": new,
            "empty": self.empty,
            "counts": {c.section: c.model_dump(exclude={"section"}) for c in self.counts()},
            "totals": self.totals().model_dump(exclude={"section"}),
            "removed": [c.id for c in self.removed],
            "locked_edited": [c.id for c in self.locked_edits],
            "meta": meta,
            "items": items,
        }


# --- matching -------------------------------------------------------------------------------------


def item_title(item: Item | Problem) -> str:
    """A short label for an item: an interface's name, a requirement's statement, ..."""
    if isinstance(item, Problem):
        text = item.text
    elif isinstance(item, UserStory):
        text = f"As a {item.as_a}, I want {item.i_want}"
    else:
        text = next(
            (getattr(item, f) for f in ("name", "title", "statement", "question") if getattr(item, f, None)),
            item_text(item),
        )
    text = " ".join(str(text).split())
    return text if len(text) <= 100 else text[:99] + "…"


def _content(item: BaseModel) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude={"id", "sources"})


def _cite_dump(c: Citation) -> dict[str, Any]:
    # A hash is bookkeeping, not content: SPEC.md read without its spec.json has none.
    return c.model_dump(exclude={"hash"})


def _by_place(cites: Iterable[Citation]) -> list[Citation]:
    return sorted(cites, key=lambda c: (c.path, c.cell or 0, c.quote or "", c.start_line, c.end_line))


def _citation_change(old: list[Citation], new: list[Citation]) -> CitationChange | None:
    if [_cite_dump(c) for c in old] == [_cite_dump(c) for c in new]:
        return None
    places = [[(c.path, c.cell, c.quote) for c in _by_place(cites)] for cites in (old, new)]
    return CitationChange(old=old, new=new, lines_only=places[0] == places[1])


def _compare(section: str, old: Item | Problem, new: Item | Problem, new_id: str, old_id: str) -> ItemChange | None:
    before, after = _content(old), _content(new)  # same model on both sides: the same keys
    changes = [FieldChange(field=k, old=before[k], new=v) for k, v in after.items() if before[k] != v]
    citations = _citation_change(old.sources, new.sources)
    if not changes and citations is None and new_id == old_id:
        return None
    if new_id != old_id:
        status: Status = "renumbered"
    elif changes:
        status = "changed"
    else:
        status = "moved"
    edited = any(c.field != "locked" for c in changes) or new_id != old_id
    return ItemChange(
        section=section,
        status=status,
        id=new_id,
        old_id=old_id if new_id != old_id else None,
        title=item_title(new),
        changes=changes,
        citations=citations,
        locked=(old.locked or new.locked) and edited,
        provenance=(old.provenance, new.provenance) if old.provenance != new.provenance else None,
    )


def _problem_change(old: Problem | None, new: Problem | None) -> ItemChange | None:
    if old is not None and new is not None:
        return _compare("overview", old, new, "problem", "problem")
    if new is not None:
        return ItemChange(section="overview", status="added", id="problem", title=item_title(new))
    if old is not None:
        return ItemChange(section="overview", status="removed", id="problem", title=item_title(old), locked=old.locked)
    return None


def _demotion(field: str, item: Item, added_questions: list[Item]) -> Item | None:
    text = item_text(item)[:240].strip()
    for question in added_questions:
        match = _DEMOTED_RE.match(getattr(question, "question", ""))
        if match and match["field"] == field and match["text"].strip() == text:
            return question
    return None


def _id_order(section: str, item_id: str) -> tuple[int, int, str]:
    if item_id == "problem":
        return (-1, 0, item_id)
    prefix, _, number = item_id.partition("-")
    prefixes = SECTION_PREFIXES.get(section, ())
    rank = prefixes.index(prefix) if prefix in prefixes else len(prefixes)
    return (rank, int(number) if number.isdigit() else 0, item_id)


def _field_items(spec: Spec) -> dict[str, list[Item]]:
    return {field: list(items) for field, items in spec.item_lists()}


def diff_specs(old: Spec, new: Spec) -> SpecDiff:
    """The semantic diff of ``old`` -> ``new``: added, removed, changed, renumbered, moved items."""
    changes: list[ItemChange] = []
    problem = _problem_change(old.overview.problem, new.overview.problem)
    if problem is not None:
        changes.append(problem)
    old_fields, new_fields = _field_items(old), _field_items(new)
    removed: list[tuple[str, Item]] = []
    added: list[tuple[str, Item]] = []
    for field, new_items in new_fields.items():
        section = _FIELD_SECTION.get(field, field)
        old_items = old_fields.get(field, [])
        # Match by ID; a duplicated ID pairs in order, the rest falls through to key matching.
        pending: dict[str, list[Item]] = {}
        for item in old_items:
            pending.setdefault(item.id, []).append(item)
        unmatched_new: list[Item] = []
        for item in new_items:
            same = pending.get(item.id)
            if same:
                change = _compare(section, same.pop(0), item, item.id, item.id)
                if change is not None:
                    changes.append(change)
            else:
                unmatched_new.append(item)
        unmatched_old = [i for group in pending.values() for i in group]
        # Key, identity (a route's handler), cited lines, then wording: a renamed route or a
        # moved function is one item changed, not one removed and one added.
        paired = {id(new): old for old, new in match_items(field, unmatched_old, unmatched_new)}
        for item in unmatched_new:
            earlier = paired.get(id(item))
            if earlier is not None:
                unmatched_old.remove(earlier)
                change = _compare(section, earlier, item, item.id, earlier.id)
                if change is not None:  # always: the IDs differ
                    changes.append(change)
            else:
                added.append((field, item))
        removed.extend((field, item) for item in unmatched_old)
    added_questions = [item for field, item in added if field == "open_questions"]
    demoted_from: dict[str, str] = {}
    for field, item in removed:
        question = _demotion(field, item, added_questions)
        if question is not None:
            added_questions.remove(question)
            demoted_from[question.id] = item.id
        changes.append(
            ItemChange(
                section=_FIELD_SECTION.get(field, field),
                status="removed",
                id=item.id,
                title=item_title(item),
                locked=item.locked,
                demoted_to=question.id if question is not None else None,
                provenance=(item.provenance, "decision") if question is not None else None,
            )
        )
    for field, item in added:
        changes.append(
            ItemChange(
                section=_FIELD_SECTION.get(field, field),
                status="added",
                id=item.id,
                title=item_title(item),
                demoted_from=demoted_from.get(item.id) if field == "open_questions" else None,
            )
        )
    section_rank = {s: n for n, s in enumerate(SECTION_PREFIXES)}
    changes.sort(key=lambda c: (section_rank[c.section], _id_order(c.section, c.id), c.status))
    return SpecDiff(items=changes, meta=_meta_change(old, new))


def _meta_change(old: Spec, new: Spec) -> MetaChange | None:
    a, b = old.meta, new.meta
    if (a.files, a.lines, a.fingerprint) == (b.files, b.lines, b.fingerprint):
        return None
    return MetaChange(files=(a.files, b.files), lines=(a.lines, b.lines), fingerprint=(a.fingerprint, b.fingerprint))


# --- value display --------------------------------------------------------------------------------


def _baseline(value: Any) -> str:
    if not isinstance(value, dict):
        return "none"
    number = value.get("value")
    if number is None:
        return f'"{value.get("raw", "")}"'
    return f"{number:g}{value.get('unit') or ''}"


def _scalar(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value if len(value) <= _WIDTH else value[: _WIDTH - 1] + "…"
    return str(value)


def _clip_pair(old: str, new: str) -> tuple[str, str]:
    """Both strings, cut so the part that differs shows even in long statements."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= _WIDTH and len(new) <= _WIDTH:
        return old, new
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    start = max(0, same - 15)

    def cut(text: str) -> str:
        text = ("…" if start else "") + text[start:]
        return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"

    return cut(old), cut(new)


def _entry_name(entry: Any) -> str:
    if isinstance(entry, dict):
        for key in ("name", "given", "path"):
            if entry.get(key):
                return str(entry[key])
        return str(entry)
    return _scalar(entry)


def _list_change(old: list[Any], new: list[Any]) -> str:
    """``+limit -page ~q`` for named entries (parameters, fields), else ``+"x" -"y"``."""
    old_names = {_entry_name(e): e for e in old}
    new_names = {_entry_name(e): e for e in new}
    parts = [f"+{n}" for n in new_names if n not in old_names]
    parts += [f"-{n}" for n in old_names if n not in new_names]
    parts += [f"~{n}" for n, e in new_names.items() if n in old_names and old_names[n] != e]
    if not parts:  # same entries, new order
        return "reordered"
    shown = parts[:6] + ([f"(+{len(parts) - 6} more)"] if len(parts) > 6 else [])
    return " ".join(shown)


# --- Markdown (a pull-request comment) ------------------------------------------------------------


def _md(text: str) -> str:
    # "<" alone can open an HTML tag GitHub would swallow; the rest of the line is plain Markdown.
    return text.replace("<", "&lt;")


def render_markdown(diff: SpecDiff, old: str = "old", new: str = "new") -> str:
    """A pull-request comment: a summary table per section, item lines in collapsible blocks."""
    out = [f"### specagent diff: `{old}` → `{new}`", ""]
    if diff.empty:
        out += ["No changes between the two specs.", ""]
        return "\n".join(out)
    if diff.locked_edits:
        ids = ", ".join(f"**{c.id}**" for c in diff.locked_edits)
        out += ["> [!WARNING]", f"> Locked items were edited or removed: {ids}", ""]
    totals = diff.totals()
    out.append(
        f"{totals.added} added, {totals.removed} removed, {totals.changed} changed, "
        f"{totals.renumbered} renumbered, {totals.moved} with moved citations only."
    )
    if diff.meta is not None:
        out.append(f"Prototype: {diff.meta.summary()}.")
    out.append("")
    shown = [c for c in diff.counts() if c.total]
    if shown:
        out += ["| section | added | removed | changed | renumbered | moved |", "|---|--:|--:|--:|--:|--:|"]
        for c in shown:
            title = SECTION_TITLES[c.section]
            out.append(f"| {title} | {c.added} | {c.removed} | {c.changed} | {c.renumbered} | {c.moved} |")
        out.append("")
    for counts in shown:
        title = SECTION_TITLES[counts.section]
        stat = " ".join(f"{MARKERS[s]}{getattr(counts, s)}" for s in MARKERS if getattr(counts, s))
        out += [f"<details><summary>{title} ({stat})</summary>", ""]
        for change in diff.items:
            if change.section != counts.section:
                continue
            flag = " **locked item edited**" if change.locked else ""
            out.append(f"- `{change.marker}` **{change.id}** {_md(change.detail())}{flag}")
        out += ["", "</details>", ""]
    return "\n".join(out)
