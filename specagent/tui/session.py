"""The spec being worked on in the TUI: edits, locks, answers, checks and saving.

No Textual here: the app drives a :class:`Session` and the widgets only show what it holds, so
every rule about a person's edits (validated before they replace an item, locked so re-drafts
keep them, never written over an edited file without a backup) is testable on its own.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from specagent.config import Settings
from specagent.errors import SpecagentError, SpecFileError
from specagent.events import EventSink, null_sink
from specagent.pipeline.draft import DraftResult, default_out_dir, write_draft
from specagent.quality.checks import run_checks
from specagent.quality.findings import CheckReport
from specagent.spec.diff import diff_specs
from specagent.spec.diff import render_markdown as render_diff
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.model import ID_RE, OpenQuestion, Requirement, Spec
from specagent.spec.model import Item as SpecItem
from specagent.spec.reader import read_spec
from specagent.spec.store import SPEC_JSON, SPEC_MD, back_up, check_writable, edited_files


class EditRejected(SpecagentError):
    """An edit that would break an item; the item is left as it was."""


@dataclass(frozen=True)
class SavePreview:
    """What saving would do: the diff against the spec on disk, and the files it would back up."""

    exists: bool
    diff_markdown: str
    edited: list[str] = field(default_factory=list)
    changes: int = 0


#: The field (list) of the spec each item lives in, found by its ID prefix.
_PREFIX_FIELD = {
    "G": "goals",
    "NG": "non_goals",
    "U": "users",
    "US": "user_stories",
    "FR": "requirements",
    "NFR": "requirements",
    "IF": "interfaces",
    "DC": "data_contracts",
    "SM": "metrics",
    "MC": "constraints",
    "DEP": "dependencies",
    "C": "architecture",
    "RK": "risks",
    "OQ": "open_questions",
}
_OVERVIEW_FIELDS = {"goals", "non_goals", "users"}
_ANSWERS = re.compile(r'^Answers (OQ-\d+) \("(?P<question>.*)"\)', re.S)


def section_of(item_id: str) -> str:
    """The spec section (``overview``, ``interfaces``, ...) an item ID belongs to."""
    field_name = _PREFIX_FIELD[item_id.split("-", 1)[0]]
    return "overview" if field_name in _OVERVIEW_FIELDS else field_name


def default_author(settings: Settings) -> str:
    """Who answers questions: the ``author`` setting, else the login name."""
    if settings.author:
        return settings.author
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers run as an arbitrary uid)
        return os.environ.get("USER", "unknown")


def item_yaml(item: SpecItem) -> str:
    """An item as the YAML a person edits: every field but the ID, defaults left out."""
    data = item.model_dump(mode="json", exclude={"id"}, exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def answered_questions(spec: Spec) -> set[str]:
    """Question texts answered by a locked decision (a re-draft must not ask them again)."""
    found = set()
    for item in spec.requirements:
        match = _ANSWERS.match(item.rationale or "") if item.locked and item.provenance == "decision" else None
        if match:
            found.add(" ".join(match["question"].split()))
    return found


def drop_answered(spec: Spec) -> None:
    """Remove open questions a person already answered in this spec's decisions."""
    answered = answered_questions(spec)
    spec.open_questions = [q for q in spec.open_questions if " ".join(q.question.split()) not in answered]


class Session:
    """One prototype's spec in the TUI: the draft, the person's changes, and where it is saved."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        *,
        out_dir: Path | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.root = Path(root)
        self.settings = settings
        self.out_dir = Path(out_dir) if out_dir is not None else default_out_dir(self.root)
        self.now = now or (lambda: datetime.now(UTC))
        self.author = default_author(settings)
        self.result: DraftResult | None = None
        self.report: CheckReport | None = None
        self.dirty = False

    # --- the spec ------------------------------------------------------------------------------

    @property
    def spec(self) -> Spec | None:
        return self.result.spec if self.result is not None else None

    @property
    def texts(self) -> Mapping[str, str]:
        """The prototype's redacted text by relative path, as the draft read it."""
        return self.result.ingested.texts if self.result is not None else {}

    def drafted(self, result: DraftResult) -> None:
        """Take a fresh draft; questions a person answered earlier stay closed. A re-draft of a
        session with unsaved changes carries them (as locked items), so it stays unsaved."""
        drop_answered(result.spec)
        self.result = result
        self.report = None

    def _spec(self) -> Spec:
        if self.result is None:
            raise SpecagentError("no draft yet: wait for the draft to finish")
        return self.result.spec

    def sections(self) -> list[tuple[str, str, list[SpecItem]]]:
        """(key, title, items) of every section, in document order."""
        spec = self._spec()
        return [(key, title, spec.section_items(key)) for key, title in SECTION_TITLES.items()]

    def _locate(self, item_id: str) -> tuple[list[SpecItem], int]:
        spec = self._spec()
        prefix = item_id.split("-", 1)[0]
        name = _PREFIX_FIELD.get(prefix)
        if name is None:
            raise SpecagentError(f"{item_id}: not an item ID")
        items: list[SpecItem] = getattr(spec.overview if name in _OVERVIEW_FIELDS else spec, name)
        for index, item in enumerate(items):
            if item.id == item_id:
                return items, index
        raise SpecagentError(f"{item_id}: no such item in the spec")

    def item(self, item_id: str) -> SpecItem:
        """The item with ``item_id`` (SpecagentError when there is none)."""
        items, index = self._locate(item_id)
        return items[index]

    def findings_for(self, item_id: str) -> list[str]:
        """Severities of the last check's findings on an item."""
        if self.report is None:
            return []
        return [f.severity for f in self.report.findings if f.item_id == item_id]

    # --- changes -------------------------------------------------------------------------------

    def parse_edit(self, item_id: str, text: str) -> SpecItem:
        """The item ``text`` (YAML, as :func:`item_yaml` writes it) describes; EditRejected if broken."""
        current = self.item(item_id)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise EditRejected(f"{item_id}: not valid YAML{where}; nothing changed") from None
        if not isinstance(data, dict):
            raise EditRejected(f"{item_id}: the edit must be a mapping of fields; nothing changed")
        data.pop("id", None)  # the ID is not the person's to change: other items cite it
        try:
            return type(current).model_validate({**data, "id": item_id})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "item"
            raise EditRejected(f"{item_id}: {where}: {first['msg']}; nothing changed") from None

    def apply_edit(self, item_id: str, text: str) -> SpecItem:
        """Replace an item by a person's edit and lock it, so a re-draft keeps their words."""
        new = self.parse_edit(item_id, text)
        new.locked = True
        items, index = self._locate(item_id)
        items[index] = new
        self._changed()
        return new

    def toggle_lock(self, item_id: str) -> bool:
        """Lock or unlock an item; returns whether it is locked now."""
        item = self.item(item_id)
        item.locked = not item.locked
        self._changed()
        return item.locked

    def _next_id(self, prefix: str) -> str:
        spec = self._spec()
        used = [int(m[2]) for _, item in spec.iter_items() if (m := ID_RE.match(item.id)) and m[1] == prefix]
        return f"{prefix}-{max(used, default=0) + 1:03d}"

    def answer(self, question_id: str, answer: str) -> Requirement:
        """Close an open question with a person's answer: it becomes a locked decision requirement."""
        question = self.item(question_id)
        if not isinstance(question, OpenQuestion):
            raise SpecagentError(f"{question_id}: not an open question")
        answer = " ".join(answer.split())
        if not answer:
            raise EditRejected(f"{question_id}: an empty answer answers nothing; the question stays open")
        when = self.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        decision = Requirement(
            id=self._next_id("FR"),
            provenance="decision",
            statement=answer,
            priority="must",
            rationale=f'Answers {question.id} ("{question.question}"); answered by {self.author} on {when}.',
            sources=[c.model_copy() for c in question.sources],
            locked=True,
        )
        spec = self._spec()
        spec.requirements.append(decision)
        spec.open_questions = [q for q in spec.open_questions if q.id != question_id]
        self._changed()
        return decision

    def replace(self, old_ids: list[str], proposed: list[SpecItem]) -> None:
        """Put ``proposed`` where the items ``old_ids`` were (an accepted refinement)."""
        if not old_ids:
            raise SpecagentError("nothing to replace")
        items, first = self._locate(old_ids[0])
        for item_id in old_ids:
            lst, index = self._locate(item_id)
            del lst[index]
        taken = {item.id for _, item in self._spec().iter_items()}
        placed = []
        for item in proposed:
            item = item.model_copy(deep=True)
            if item.id in taken:
                item.id = self._next_id(item.id.split("-", 1)[0])
            taken.add(item.id)
            placed.append(item)
        items[first:first] = [p for p in placed if section_of(p.id) == section_of(old_ids[0])]
        for item in placed:  # a split may move part of an item into another section
            if section_of(item.id) != section_of(old_ids[0]):
                lst, _ = self._locate_list(item.id)
                lst.append(item)
        self._changed()

    def _locate_list(self, item_id: str) -> tuple[list[SpecItem], str]:
        spec = self._spec()
        name = _PREFIX_FIELD[item_id.split("-", 1)[0]]
        return getattr(spec.overview if name in _OVERVIEW_FIELDS else spec, name), name

    def _changed(self) -> None:
        self.dirty = True
        self.report = None  # findings were about the spec as it was

    # --- check ---------------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Run every quality check on the spec as it is now (edits included)."""
        self.report = run_checks(self._spec(), self.texts)
        return self.report

    # --- save ----------------------------------------------------------------------------------

    def on_disk(self) -> Spec | None:
        """The spec saved in the output folder (the person's SPEC.md first), if any."""
        for name in (SPEC_MD, SPEC_JSON):
            path = self.out_dir / name
            if path.exists():
                try:
                    return read_spec(path)
                except SpecFileError:
                    continue
        return None

    def save_preview(self) -> SavePreview:
        """The diff saving would write, and which edited files it would keep as ``.bak``."""
        spec = self._spec()
        old = self.on_disk()
        edited = edited_files(self.out_dir) if self.out_dir.is_dir() else []
        if old is None:
            return SavePreview(exists=False, diff_markdown="", edited=edited)
        diff = diff_specs(old, self._merged(spec, old) if edited else spec)
        return SavePreview(
            exists=True,
            diff_markdown=render_diff(diff, "on disk", "this session"),
            edited=edited,
            changes=len(diff.items),
        )

    @staticmethod
    def _merged(spec: Spec, disk: Spec) -> Spec:
        """``spec`` with the items a person locked in the file on disk since (theirs win unless
        this session locked its own version of that item)."""
        merged = spec.model_copy(deep=True)
        lists = dict(merged.item_lists())
        for name, theirs in disk.item_lists():
            ours = lists[name]
            by_id = {item.id: index for index, item in enumerate(ours)}
            for item in theirs:
                if not item.locked:
                    continue
                index = by_id.get(item.id)
                if index is None:
                    ours.append(item)
                elif not ours[index].locked:
                    ours[index] = item
        return merged

    def save(self, on_event: EventSink = null_sink) -> list[Path]:
        """Write SPEC.md and spec.json atomically; a file edited on disk is kept as ``NAME.bak``
        first and its locked items are merged, as ``draft --force`` does."""
        if self.result is None:
            raise SpecagentError("no draft yet: nothing to save")
        edited = check_writable(self.out_dir, force=True)
        if edited:
            disk = self.on_disk()
            if disk is not None:
                self.result.spec = self._merged(self.result.spec, disk)
            back_up(self.out_dir, edited)
        paths = write_draft(self.result, self.out_dir, self.root, on_event=on_event)
        self.dirty = False
        return paths

    def summary(self) -> dict[str, int]:
        """Items per section (for the status line and tests)."""
        return {key: len(items) for key, _, items in self.sections()}
