"""Drift: has the code moved away from its spec? Re-reads the prototype with no model.

Two kinds of finding:

- per citation, judged on the cited span only (an edit elsewhere in the file is no drift):
  *changed* (the lines are there but say something else), *moved* (the same lines, found by
  their hash at another place or in another file; ``--fix`` rewrites the citation) or
  *vanished* (the file is gone);
- per fact the code states and the spec does not (*unstated*): a new route, CLI command or
  option, env var, data model or field, dependency or schedule. The offline drafter's view of
  the code today is matched to the spec's items (:mod:`specagent.spec.match`); what is left is
  new.

A team can accept warnings it chose to ignore: ``--accept`` writes their keys to
``.specagent-drift.json`` beside the spec, and later runs report them as accepted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from specagent.config import Settings, load_settings
from specagent.errors import SpecFileError
from specagent.events import EventSink, Warned, null_sink
from specagent.ingest import ingest
from specagent.ingest.run import gc_paused
from specagent.pipeline.offline import draft_offline
from specagent.spec.markdown import citation_href
from specagent.spec.match import match_items
from specagent.spec.model import Citation, DataContract, Dependency, Interface, Item, Spec
from specagent.spec.reader import locate, read_spec
from specagent.spec.resolve import resolve
from specagent.spec.spans import citation_hash, find_moved, stamp_hashes
from specagent.spec.store import SPEC_JSON, SPEC_MD, atomic_write, edited_files, record_written

Kind = Literal["changed", "moved", "vanished", "unstated"]
KINDS: tuple[Kind, ...] = ("changed", "moved", "vanished", "unstated")
#: What fails a run unless the caller says otherwise: a moved citation is stale, not wrong.
DEFAULT_FAIL_ON: tuple[Kind, ...] = ("changed", "vanished", "unstated")
BASELINE = ".specagent-drift.json"


class DriftFinding(BaseModel):
    """One way the code and the spec disagree."""

    kind: Kind
    item_id: str | None = Field(default=None, description="The spec item (or ``problem``) it concerns.")
    category: str | None = Field(default=None, description="For unstated facts: route, cli option, env var, ...")
    name: str | None = Field(default=None, description="For unstated facts: what the code names it.")
    citation: Citation | None = Field(default=None, description="The spec's citation (changed, moved, vanished).")
    moved_to: Citation | None = None
    where: Citation | None = Field(default=None, description="Where the code states an unstated fact.")
    message: str
    accepted: bool = False

    @property
    def key(self) -> str:
        """What identifies this finding across runs (for the accepted baseline)."""
        if self.kind == "unstated":
            return f"unstated:{self.category}:{self.item_id or ''}:{self.name}"
        c = self.citation
        assert c is not None
        return f"{self.kind}:{self.item_id}:{c.path}:{c.cell or ''}:{c.hash or c.start_line}"

    @property
    def location(self) -> Citation | None:
        """Where in the code to look: the new place, the fact, or the old citation."""
        return self.moved_to or self.where or self.citation


class DriftReport(BaseModel):
    """The result of one drift run."""

    spec_file: str
    root: str
    citations: int = Field(default=0, description="Citations checked.")
    unhashed: int = Field(default=0, description="Citations without a hash (checked by quote only).")
    findings: list[DriftFinding] = Field(default_factory=list)
    fixed: int = Field(default=0, description="Moved citations rewritten by --fix.")

    def failing(self, fail_on: tuple[str, ...] = DEFAULT_FAIL_ON) -> list[DriftFinding]:
        """Findings that fail the run: of a kind in ``fail_on`` and not accepted."""
        return [f for f in self.findings if f.kind in fail_on and not f.accepted]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(KINDS, 0)
        for f in self.findings:
            if not f.accepted:
                out[f.kind] += 1
        out["accepted"] = sum(f.accepted for f in self.findings)
        return out

    def to_json(self, fail_on: tuple[str, ...] = DEFAULT_FAIL_ON) -> dict[str, Any]:
        """Machine-readable: counts, whether it fails, and every finding with its key."""
        return {
            "spec": self.spec_file,
            "root": self.root,
            "citations": self.citations,
            "unhashed": self.unhashed,
            "fixed": self.fixed,
            "counts": self.counts(),
            "drift": bool(self.failing(fail_on)),
            "findings": [f.model_dump(mode="json") | {"key": f.key} for f in self.findings],
        }


def default_spec_file(root: Path) -> Path:
    """``ROOT/spec/SPEC.md`` when there is one, else ``ROOT/spec/spec.json``."""
    folder = Path(root) / "spec"
    return folder / SPEC_MD if (folder / SPEC_MD).exists() or not (folder / SPEC_JSON).exists() else folder / SPEC_JSON


# --- citations ------------------------------------------------------------------------------------


def _moved_citation(c: Citation, place: Any) -> Citation:
    return c.model_copy(
        update={"path": place.path, "start_line": place.start_line, "end_line": place.end_line, "cell": place.cell}
    )


def _check_citation(owner: str, c: Citation, texts: dict[str, str]) -> DriftFinding | None:
    if c.path not in texts:
        place = find_moved(c, texts) if c.hash else None
        if place is not None:
            new = _moved_citation(c, place)
            return DriftFinding(
                kind="moved", item_id=owner, citation=c, moved_to=new, message=f"{c.label()} moved to {new.label()}"
            )
        return DriftFinding(kind="vanished", item_id=owner, citation=c, message=f"{c.path} is gone")
    if c.hash is None:
        problem = resolve(c, texts)
        if problem is None:
            return None
        return DriftFinding(kind="changed", item_id=owner, citation=c, message=problem)
    if citation_hash(c, texts) == c.hash:
        # A notebook quote may come from the cell's outputs, which the hash does not cover: a
        # re-run that printed another metric value is drift too.
        problem = resolve(c, texts) if c.cell is not None else None
        if problem is None:
            return None
        return DriftFinding(kind="changed", item_id=owner, citation=c, message=f"{problem} (the output changed)")
    place = find_moved(c, texts)
    if place is not None:
        new = _moved_citation(c, place)
        return DriftFinding(
            kind="moved", item_id=owner, citation=c, moved_to=new, message=f"{c.label()} moved to {new.label()}"
        )
    return DriftFinding(kind="changed", item_id=owner, citation=c, message=f"the lines at {c.label()} changed")


# --- facts the spec does not state ----------------------------------------------------------------

_INTERFACE_CATEGORY = {"http": "route", "cli": "cli command", "schedule": "schedule", "ui": "ui app"}
_DEPENDENCY_CATEGORY = {
    "package": "dependency",
    "service": "service",
    "model": "model",
    "dataset": "dataset",
    "env_var": "env var",
    "secret": "env var",
}


_SHOWN = ("name", "route", "method", "signature", "version", "kind")


def _what_changed(old: Item, now: Item) -> str:
    """``name `GET /a` -> `GET /b`, signature ...``: the identifying fields that differ."""
    parts = []
    for attr in _SHOWN:
        before, after = getattr(old, attr, None), getattr(now, attr, None)
        if before != after and (before or after) and attr != "kind":
            parts.append(f"{attr} `{before}` -> `{after}`")
    return ", ".join(parts)


def _unstated(spec: Spec, fresh: Spec) -> tuple[list[DriftFinding], dict[str, Item]]:
    """Facts of ``fresh`` (the code today) that ``spec`` does not state, and spec ID -> its match."""
    out: list[DriftFinding] = []
    now_of: dict[str, Item] = {}

    def new(category: str, name: str, item: Item, owner: str | None = None, what: str = "") -> None:
        where = item.sources[0] if item.sources else None
        text = what or f"new {category} `{name}` is not in the spec"
        out.append(
            DriftFinding(kind="unstated", category=category, name=name, item_id=owner, where=where, message=text)
        )

    for field in ("interfaces", "data_contracts", "dependencies"):
        old_items: list[Item] = list(getattr(spec, field))
        fresh_items: list[Item] = list(getattr(fresh, field))
        pairs = match_items(field, old_items, fresh_items)
        matched = {id(b) for _, b in pairs}
        now_of.update((a.id, b) for a, b in pairs)
        for item in fresh_items:
            if id(item) in matched:
                continue
            if isinstance(item, Interface) and item.kind in _INTERFACE_CATEGORY:
                new(_INTERFACE_CATEGORY[item.kind], item.name, item)
            elif isinstance(item, DataContract) and item.role in ("stored", "message", "input", "output"):
                new("data model", item.name, item)
            elif isinstance(item, Dependency):
                new(_DEPENDENCY_CATEGORY[item.kind], item.name, item)
        for old, now in pairs:
            if isinstance(old, Interface) and isinstance(now, Interface) and now.kind in ("cli", "http"):
                known = {p.name for p in old.parameters} | {f for p in old.parameters for f in p.flags}
                for p in now.parameters:
                    if p.name not in known and not (set(p.flags) & known):
                        category = "cli option" if now.kind == "cli" else "parameter"
                        label = p.flags[0] if p.flags else p.name
                        new(category, label, now, old.id, f"{old.id} `{old.name}` has a new {category} `{label}`")
            if isinstance(old, DataContract) and isinstance(now, DataContract):
                known = {f.name for f in old.fields}
                for f in now.fields:
                    if f.name not in known:
                        new("data field", f.name, now, old.id, f"{old.id} `{old.name}` has a new field `{f.name}`")
    return out, now_of


# --- the run --------------------------------------------------------------------------------------


def baseline_path(spec_file: Path) -> Path:
    return Path(spec_file).parent / BASELINE


def _accepted(spec_file: Path) -> set[str]:
    try:
        data = json.loads(baseline_path(spec_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as exc:
        raise SpecFileError(f"{baseline_path(spec_file)}: not a drift baseline ({exc})") from None
    keys = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise SpecFileError(f"{baseline_path(spec_file)}: expected {{'accepted': [...]}}")
    return {str(k) for k in keys}


def detect_drift(
    root: Path,
    spec_file: Path | None = None,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
) -> DriftReport:
    """Compare the prototype at ``root`` with its spec; no model is called and nothing is written."""
    root = Path(root)
    spec_file = Path(spec_file) if spec_file is not None else default_spec_file(root)
    spec = read_spec(spec_file)
    settings = settings or load_settings(root)
    with gc_paused():
        ingested = ingest(root, settings=settings, skip_dirs=[spec_file.parent])
        fresh = draft_offline(ingested.facts, ingested.root.name)
    texts = ingested.texts
    stamp_hashes(fresh, texts)
    report = DriftReport(spec_file=str(spec_file), root=str(root))
    for owner, c in spec.iter_citations():
        report.citations += 1
        report.unhashed += c.hash is None
        finding = _check_citation(owner, c, texts)
        if finding is not None:
            report.findings.append(finding)
    if report.citations and report.unhashed == report.citations:
        on_event(Warned("the spec's citations carry no hashes: drift checks quotes only (re-draft with --update)"))
    unstated, now_of = _unstated(spec, fresh)
    items = {item.id: item for _, item in spec.iter_items()}
    for f in report.findings:
        if f.kind == "changed" and f.item_id in now_of and f.item_id in items:
            what = _what_changed(items[f.item_id], now_of[f.item_id])
            if what:
                f.message += f"; the code now says {what}"
    report.findings.extend(unstated)
    accepted = _accepted(spec_file)
    for f in report.findings:
        f.accepted = f.key in accepted
    return report


def accept(report: DriftReport) -> Path:
    """Record every current finding as accepted (the team's baseline); returns the file written."""
    path = baseline_path(Path(report.spec_file))
    keys = sorted({f.key for f in report.findings} | _accepted(Path(report.spec_file)))
    atomic_write(path, json.dumps({"accepted": keys}, indent=2) + "\n")
    for f in report.findings:
        f.accepted = True
    return path


def _link(c: Citation, root_rel: str) -> str:
    label = c.label().replace("[", "(").replace("]", ")")
    return f"[{label}]({citation_href(c, root_rel)}"


def fix_moved(report: DriftReport, *, on_event: EventSink = null_sink) -> int:
    """Rewrite moved citations in spec.json and SPEC.md beside the spec file; returns how many.

    SPEC.md is edited in place, link by link within the item's own lines, so a person's other
    edits stay exactly as they were. A file specagent wrote stays recorded as its own.
    """
    moved = [f for f in report.findings if f.kind == "moved" and f.moved_to is not None and f.citation is not None]
    if not moved:
        return 0
    folder = Path(report.spec_file).parent
    untouched = {name for name in (SPEC_MD, SPEC_JSON) if (folder / name).exists()} - set(edited_files(folder))
    written: dict[str, str] = {}
    json_path = folder / SPEC_JSON
    if json_path.exists():
        spec = read_spec(json_path)
        for f in moved:
            for owner, c in spec.iter_citations():
                if owner == f.item_id and c.place == _place(f.citation):
                    c.path, c.start_line, c.end_line, c.cell = _place(f.moved_to)
        written[SPEC_JSON] = spec.model_dump_json(indent=2) + "\n"
    md_path = folder / SPEC_MD
    if md_path.exists():
        text = md_path.read_text(encoding="utf-8")
        match = re.search(r"^root: (.*)$", text, re.MULTILINE)
        root_rel = (match[1].strip().strip("'\"") if match else "..") or ".."
        lines = text.split("\n")
        starts = locate(md_path)
        order = sorted(starts.values())
        for f in moved:
            first = starts.get(f.item_id or "")
            if first is None:
                on_event(Warned(f"{f.item_id} not found in SPEC.md; its citation was fixed in spec.json only"))
                continue
            last = next((n for n in order if n > first), len(lines) + 1)
            assert f.citation is not None and f.moved_to is not None  # kept so by `moved` above
            old, new = _link(f.citation, root_rel), _link(f.moved_to, root_rel)
            for n in range(first - 1, last - 1):
                if old in lines[n]:
                    lines[n] = lines[n].replace(old, new)
                    break
        written[SPEC_MD] = "\n".join(lines)
    for name, text in written.items():
        atomic_write(folder / name, text)
    record_written(folder, {name: text for name, text in written.items() if name in untouched})
    report.fixed = len(moved)
    return len(moved)


def _place(c: Citation | None) -> tuple[str, int, int, int | None]:
    assert c is not None
    return c.place
