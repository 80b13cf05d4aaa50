"""Read a spec back: spec.json directly, SPEC.md by the grammar :mod:`specagent.spec.markdown` writes.

Reading SPEC.md (not only spec.json) is what lets ``check`` review a person's edits and lets a
new draft keep the items a person locked. Structured values SPEC.md does not show (a metric's
parsed baseline value and unit) are taken from the spec.json beside it when the item IDs match.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from pydantic import ValidationError

from specagent.errors import SpecFileError
from specagent.spec.markdown import LOCK, SECTION_TITLES
from specagent.spec.model import (
    AcceptanceCriterion,
    Baseline,
    Citation,
    Component,
    Constraint,
    DataContract,
    Dependency,
    FieldSpec,
    Goal,
    Interface,
    Meta,
    Metric,
    NonGoal,
    OpenQuestion,
    Overview,
    Parameter,
    Problem,
    Requirement,
    Risk,
    Spec,
    UserGroup,
    UserStory,
)

LINK_RE = re.compile(r'\[(?P<label>[^\]]*)\]\((?P<href>[^\s)]+)(?: "(?P<title>(?:[^"\\]|\\.)*)")?\)')
ANCHOR_RE = re.compile(r"^(?:cell-(?P<cell>\d+)-)?L(?P<start>\d+)(?:-L(?P<end>\d+))?$")
BULLET_RE = re.compile(r"^- \*\*(?P<id>[A-Z]+-\d+)\*\* \((?P<tags>[^)]*)\) ?(?P<text>.*)$")
HEADED_RE = re.compile(r"^### (?P<id>[A-Z]+-\d+) `(?P<name>.*)`\s*$")
FIELD_RE = re.compile(r"^(?P<indent> *)- (?P<label>[a-z][a-z _-]*):(?: (?P<value>.*))?$")
SECTION_RE = re.compile(r"^## (?:\d+\. )?(?P<title>.+?)\s*$")
STORY_RE = re.compile(r"^As an? (?P<as_a>.+?), I want (?P<i_want>.+?)(?:, so that (?P<so_that>.+?))?\.$")
GWT_RE = re.compile(r"^\*\*Given\*\* (?P<given>.*?) \*\*when\*\* (?P<when>.*?) \*\*then\*\* (?P<then>.*)$")
TITLE_TO_KEY = {title.lower(): key for key, title in SECTION_TITLES.items()}


def parse_citations(text: str, root_rel: str) -> list[Citation]:
    """Citations from the Markdown links in ``text`` (links that are not citations are ignored)."""
    prefix = "" if root_rel in ("", ".") else root_rel.rstrip("/") + "/"
    out = []
    for match in LINK_RE.finditer(text):
        href = match["href"]
        path, _, anchor = href.partition("#")
        if prefix and not path.startswith(prefix):
            continue
        path = unquote(path[len(prefix) :])
        found = ANCHOR_RE.match(anchor)
        if not found:
            continue
        start = int(found["start"])
        title = match["title"]
        quote = re.sub(r"\\(.)", r"\1", title) if title is not None else None
        try:
            out.append(
                Citation(
                    path=path,
                    start_line=start,
                    end_line=int(found["end"] or start),
                    cell=int(found["cell"]) if found["cell"] else None,
                    quote=quote,
                )
            )
        except ValidationError as exc:
            raise SpecFileError(f"bad citation {href}: {exc.errors()[0]['msg']}") from None
    return out


def _tags(raw: str) -> tuple[list[str], str, bool]:
    words = [w.strip() for w in raw.split(",") if w.strip()]
    locked = LOCK in words
    words = [w for w in words if w != LOCK]
    provenance = words.pop() if words and words[-1] in {"observed", "inferred", "decision"} else "observed"
    return words, provenance, locked


def _split_cells(row: str) -> list[str]:
    """Cells of a table row; ``\\|`` is a pipe inside a cell (the only escape tables use)."""
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body)]


def _yn(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value.strip().lower())


def _opt(value: str | None) -> str | None:
    return value if value else None


class _Block:
    """An item's lines: its head match and its ``- label: value`` fields and lists."""

    def __init__(self, head: re.Match[str]) -> None:
        self.head = head
        self.fields: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}
        self.tables: list[list[list[str]]] = []
        self._list: str | None = None

    def feed(self, line: str) -> None:
        if line.startswith("|"):
            if not self.tables or self._list != "|":
                self.tables.append([])
                self._list = "|"
            if not re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", line):
                self.tables[-1].append(_split_cells(line))
            return
        field = FIELD_RE.match(line)
        if field and len(field["indent"]) <= 2:
            label = field["label"]
            if field["value"] is None:
                self._list = label
                self.lists[label] = []
            else:
                self.fields[label] = field["value"]
                self._list = None
            return
        stripped = line.strip()
        if self._list and self._list != "|" and stripped.startswith("- "):
            self.lists[self._list].append(stripped[2:])


def _blocks(lines: list[str], head_re: re.Pattern[str]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        head = head_re.match(line)
        if head:
            blocks.append(_Block(head))
        elif blocks and line.strip():
            blocks[-1].feed(line)
    return blocks


def _rows_by_header(table: list[list[str]]) -> list[dict[str, str]]:
    if not table:
        return []
    header = [h.lower() for h in table[0]]
    return [dict(zip(header, row, strict=False)) for row in table[1:]]


def _table_rows(lines: list[str]) -> list[dict[str, str]]:
    rows: list[list[str]] = []
    for line in lines:
        if line.startswith("|") and not re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", line):
            rows.append(_split_cells(line))
    if not rows:
        return []
    header = [h.lower() for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


class _Reader:
    def __init__(self, text: str, companion: Spec | None) -> None:
        self.text = text
        self.companion = companion
        self.meta, body = self._front_matter(text)
        self.root_rel = str(self.meta.pop("root", "..") or "..")
        self.sections = self._sections(body)

    @staticmethod
    def _front_matter(text: str) -> tuple[dict[str, Any], str]:
        if not text.startswith("---\n"):
            return {}, text
        end = text.find("\n---\n", 4)
        if end < 0:
            raise SpecFileError("front matter is not closed by a '---' line")
        try:
            meta = yaml.safe_load(text[4:end]) or {}
        except yaml.YAMLError as exc:
            raise SpecFileError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(meta, dict):
            raise SpecFileError("front matter must be a mapping")
        return meta, text[end + 5 :]

    @staticmethod
    def _sections(body: str) -> dict[str, list[str]]:
        sections: dict[str, list[str]] = {}
        current: list[str] | None = None
        in_code = False
        for line in body.split("\n"):
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code:
                continue
            match = SECTION_RE.match(line) if line.startswith("## ") else None
            if match:
                key = TITLE_TO_KEY.get(match["title"].lower())
                current = sections.setdefault(key, []) if key else None
                continue
            if current is not None:
                current.append(line)
        return sections

    def cites(self, text: str | None) -> list[Citation]:
        return parse_citations(text or "", self.root_rel)

    def _common(self, block: _Block) -> dict[str, Any]:
        words, provenance, locked = _tags(block.head["tags"] if "tags" in block.head.groupdict() else "")
        return {
            "id": block.head["id"],
            "provenance": provenance,
            "locked": locked,
            "sources": self.cites(block.fields.get("sources")),
            "_words": words,
        }

    @staticmethod
    def _drop(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if not k.startswith("_")}

    # -- sections ------------------------------------------------------------------------------

    def overview(self) -> Overview:
        lines = self.sections.get("overview", [])
        parts: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith("### "):
                current = parts.setdefault(line[4:].strip().lower(), [])
            elif current is not None:
                current.append(line)
        problem = None
        prob_lines = [ln for ln in parts.get("problem", []) if ln.strip()]
        if prob_lines and not prob_lines[0].startswith("_None"):
            text_lines = [ln for ln in prob_lines if not ln.startswith("- ")]
            tag_line = next((ln for ln in prob_lines if ln.startswith("- (") or re.match(r"^- [a-z, ]+$", ln)), "")
            _, provenance, locked = _tags(tag_line[2:].strip("() "))
            src = next((ln for ln in prob_lines if ln.startswith("- sources:")), "")
            problem = Problem(
                text=" ".join(text_lines).strip(), provenance=provenance, locked=locked, sources=self.cites(src)
            )
        goals, non_goals, users = [], [], []
        for block in _blocks(parts.get("goals", []), BULLET_RE):
            goals.append(Goal(**self._drop(self._common(block)), statement=block.head["text"]))
        for block in _blocks(parts.get("non-goals", []), BULLET_RE):
            non_goals.append(NonGoal(**self._drop(self._common(block)), statement=block.head["text"]))
        for block in _blocks(parts.get("users", []), BULLET_RE):
            users.append(
                UserGroup(
                    **self._drop(self._common(block)),
                    name=block.head["text"],
                    description=_opt(block.fields.get("description")),
                )
            )
        return Overview(problem=problem, goals=goals, non_goals=non_goals, users=users)

    def user_stories(self) -> list[UserStory]:
        out = []
        for block in _blocks(self.sections.get("user_stories", []), BULLET_RE):
            match = STORY_RE.match(block.head["text"])
            if match:
                as_a, i_want, so_that = match["as_a"], match["i_want"], match["so_that"]
            else:  # a person rewrote the sentence freely: keep it whole
                as_a, i_want, so_that = "user", block.head["text"], None
            acceptance = []
            for line in block.lists.get("acceptance", []):
                gwt = GWT_RE.match(line)
                if gwt:
                    acceptance.append(AcceptanceCriterion(**gwt.groupdict()))
            out.append(
                UserStory(
                    **self._drop(self._common(block)), as_a=as_a, i_want=i_want, so_that=so_that, acceptance=acceptance
                )
            )
        return out

    def requirements(self) -> list[Requirement]:
        out = []
        for block in _blocks(self.sections.get("requirements", []), BULLET_RE):
            common = self._common(block)
            words = common["_words"]
            priority = next((w for w in words if w in {"must", "should", "could"}), "should")
            out.append(
                Requirement(
                    **self._drop(common),
                    kind="non_functional" if common["id"].startswith("NFR") else "functional",
                    statement=block.head["text"],
                    priority=priority,
                    acceptance=block.lists.get("acceptance", []),
                    rationale=_opt(block.fields.get("rationale")),
                )
            )
        return out

    def _headed(self, key: str) -> list[tuple[_Block, dict[str, Any], str]]:
        out = []
        for block in _blocks(self.sections.get(key, []), HEADED_RE):
            raw_tags = block.fields.get("tags", "()").strip()[1:-1]
            words, provenance, locked = _tags(raw_tags)
            common = {
                "id": block.head["id"],
                "provenance": provenance,
                "locked": locked,
                "sources": self.cites(block.fields.get("sources")),
            }
            out.append((block, common, words[0] if words else ""))
        return out

    def interfaces(self) -> list[Interface]:
        out = []
        for block, common, kind in self._headed("interfaces"):
            params = []
            for table in block.tables:
                for row in _rows_by_header(table):
                    params.append(
                        Parameter(
                            name=row.get("parameter", ""),
                            flags=row.get("flags", "").split(),
                            type=_opt(row.get("type")),
                            required=bool(_yn(row.get("required", ""))),
                            default=_opt(row.get("default")),
                            description=_opt(row.get("description")),
                        )
                    )
            for entry in block.lists.get("functions", []):
                match = re.match(r"^`(?P<sig>[^`]*)`(?:: (?P<doc>.*))?$", entry)
                if match:
                    sig = match["sig"]
                    params.append(Parameter(name=sig.split("(")[0], type=sig, description=_opt(match["doc"])))
            f = block.fields
            out.append(
                Interface(
                    **common,
                    kind=kind or "other",
                    name=block.head["name"],
                    summary=_opt(f.get("summary")),
                    signature=_opt(f.get("signature")),
                    method=_opt(f.get("method")),
                    route=_opt(f.get("route")),
                    request=_opt(f.get("request")),
                    response=_opt(f.get("response")),
                    errors=_opt(f.get("errors")),
                    parameters=params,
                )
            )
        return out

    def data_contracts(self) -> list[DataContract]:
        out = []
        for block, common, role in self._headed("data_contracts"):
            fields = []
            for table in block.tables:
                for row in _rows_by_header(table):
                    required = _yn(row.get("required", ""))
                    fields.append(
                        FieldSpec(
                            name=row.get("field", ""),
                            type=_opt(row.get("type")),
                            required=True if required is None else required,
                            constraints=_opt(row.get("constraints")),
                            description=_opt(row.get("description")),
                        )
                    )
            fields.extend(FieldSpec(name=n) for n in re.findall(r"`([^`]*)`", block.fields.get("fields", "")))
            out.append(
                DataContract(
                    **common,
                    role=role or "input",
                    name=block.head["name"],
                    format=_opt(block.fields.get("format")),
                    summary=_opt(block.fields.get("summary")),
                    fields=fields,
                )
            )
        return out

    def _row_common(self, row: dict[str, str]) -> dict[str, Any]:
        _, provenance, locked = _tags(row.get("basis", ""))
        return {
            "id": row.get("id", ""),
            "provenance": provenance,
            "locked": locked,
            "sources": self.cites(row.get("sources")),
        }

    def _companion(self, item_id: str) -> Any:
        if self.companion is None:
            return None
        return next((i for _, i in self.companion.iter_items() if i.id == item_id), None)

    def metrics(self) -> list[Metric]:
        out = []
        for row in _table_rows(self.sections.get("metrics", [])):
            common = self._row_common(row)
            raw = row.get("baseline", "")
            baseline = None
            if raw:
                earlier = self._companion(common["id"])
                if isinstance(earlier, Metric) and earlier.baseline and earlier.baseline.raw == raw:
                    baseline = earlier.baseline
                else:
                    number = re.search(r"-?\d+(?:\.\d+)?", raw)
                    baseline = Baseline(raw=raw, value=float(number.group()) if number else None)
            out.append(
                Metric(
                    **common,
                    name=row.get("metric", ""),
                    definition=row.get("definition") or row.get("metric", ""),
                    baseline=baseline,
                    target=_opt(row.get("target")),
                    how_measured=_opt(row.get("how measured")),
                )
            )
        return out

    def constraints(self) -> list[Constraint]:
        return [
            Constraint(
                **self._row_common(row),
                category=row.get("category") or "other",
                statement=row.get("constraint", ""),
                target=_opt(row.get("target")),
            )
            for row in _table_rows(self.sections.get("constraints", []))
        ]

    def dependencies(self) -> list[Dependency]:
        return [
            Dependency(
                **self._row_common(row),
                kind=row.get("kind") or "package",
                name=row.get("name", ""),
                version=_opt(row.get("version")),
                purpose=_opt(row.get("purpose")),
                required=_yn(row.get("required", "")),
            )
            for row in _table_rows(self.sections.get("dependencies", []))
        ]

    def architecture(self) -> list[Component]:
        out = []
        for block in _blocks(self.sections.get("architecture", []), BULLET_RE):
            match = re.match(r"^`(?P<name>[^`]*)`: (?P<resp>.*)$", block.head["text"])
            name, resp = (match["name"], match["resp"]) if match else (block.head["text"], "")
            ticks = re.compile(r"`([^`]*)`")
            out.append(
                Component(
                    **self._drop(self._common(block)),
                    name=name,
                    responsibility=resp,
                    paths=ticks.findall(block.fields.get("paths", "")),
                    uses=ticks.findall(block.fields.get("uses", "")),
                )
            )
        return out

    def risks(self) -> list[Risk]:
        out = []
        for row in _table_rows(self.sections.get("risks", [])):
            level = {"low", "medium", "high"}
            likelihood = row.get("likelihood", "medium")
            impact = row.get("impact", "medium")
            out.append(
                Risk(
                    **self._row_common(row),
                    title=row.get("risk", ""),
                    detail=_opt(row.get("detail")),
                    likelihood=likelihood if likelihood in level else "medium",
                    impact=impact if impact in level else "medium",
                    mitigation=_opt(row.get("mitigation")),
                )
            )
        return out

    def open_questions(self) -> list[OpenQuestion]:
        return [
            OpenQuestion(
                **self._drop(self._common(block)),
                question=block.head["text"],
                why=_opt(block.fields.get("why")),
                options=block.lists.get("options", []),
            )
            for block in _blocks(self.sections.get("open_questions", []), BULLET_RE)
        ]

    def spec(self) -> Spec:
        meta = dict(self.meta)
        if self.companion is not None and "warnings" not in meta:
            meta["warnings"] = self.companion.meta.warnings
        spec = self._spec(meta)
        if self.companion is not None:
            copy_hashes(self.companion, spec)
        return spec

    def _spec(self, meta: dict[str, Any]) -> Spec:
        return Spec(
            meta=Meta.model_validate(meta),
            overview=self.overview(),
            user_stories=self.user_stories(),
            requirements=self.requirements(),
            interfaces=self.interfaces(),
            data_contracts=self.data_contracts(),
            metrics=self.metrics(),
            constraints=self.constraints(),
            dependencies=self.dependencies(),
            architecture=self.architecture(),
            risks=self.risks(),
            open_questions=self.open_questions(),
        )


def copy_hashes(source: Spec, target: Spec) -> None:
    """Give ``target``'s citations the hashes ``source`` holds for the same item and place.

    SPEC.md does not show citation hashes (they would be noise to a reader); spec.json keeps
    them, and a citation a person left where it was keeps its hash this way.
    """
    known: dict[tuple[str, str, int, int, int | None], str] = {}
    for owner, c in source.iter_citations():
        if c.hash:
            known[(owner, c.path, c.start_line, c.end_line, c.cell)] = c.hash
    for owner, c in target.iter_citations():
        if c.hash is None:
            c.hash = known.get((owner, c.path, c.start_line, c.end_line, c.cell))


def read_markdown(text: str, companion: Spec | None = None, source: str = "SPEC.md") -> Spec:
    """Parse SPEC.md text. ``companion`` (the spec.json beside it) fills values SPEC.md omits;
    ``source`` names the file in errors."""
    try:
        return _Reader(text, companion).spec()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SpecFileError(f"{source} does not form a valid spec: {where}: {first['msg']}") from None


def read_json(text: str, source: str = "spec.json") -> Spec:
    """Parse spec.json text; ``source`` names the file in errors."""
    try:
        return Spec.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        raise SpecFileError(f"{source} is not a valid spec: {where}: {first['msg']}") from None


def read_spec(path: Path) -> Spec:
    """Read SPEC.md or spec.json; one-line SpecFileError when that is impossible."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(f"{path}: cannot read ({exc})") from None
    if path.suffix.lower() == ".json":
        return read_json(text, str(path))
    companion = None
    sibling = path.with_name("spec.json")
    if sibling.exists():
        try:
            companion = read_json(sibling.read_text(encoding="utf-8"), str(sibling))
        except (OSError, SpecFileError):
            companion = None
    return read_markdown(text, companion, str(path))


def locate(path: Path) -> dict[str, int]:
    """Item id -> 1-based line in SPEC.md where the item starts (for annotations)."""
    found: dict[str, int] = {}
    pattern = re.compile(r"^(?:- \*\*|### |\| )(?P<id>[A-Z]+-\d+)\b")
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError:
        return found
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line)
        if match:
            found.setdefault(match["id"], number)
        elif line.startswith("### Problem"):
            found.setdefault("problem", number)
    return found


def read_spec_ref(ref: str, cwd: Path | None = None) -> Spec:
    """A spec from a path, or from git as ``REV:PATH`` (``origin/main:spec/spec.json``).

    A path that exists wins; otherwise ``REV:PATH`` is read with ``git show`` (PATH relative to
    the repository's top, or to ``cwd`` with a ``./`` prefix). A SPEC.md from git takes its
    spec.json companion from the same revision.
    """
    from specagent.gitinfo import show

    cwd = Path(cwd) if cwd is not None else Path.cwd()
    path = Path(ref)
    if path.exists() or ":" not in ref or re.match(r"^[A-Za-z]:[\\/]", ref):
        return read_spec(path)
    revision, _, inner = ref.partition(":")
    text = show(ref, cwd)
    if text is None:
        raise SpecFileError(f"{ref}: git cannot show it (unknown revision, or no such file at {revision})")
    if inner.lower().endswith(".json"):
        return read_json(text, ref)
    sibling = inner.rsplit("/", 1)[0] + "/spec.json" if "/" in inner else "spec.json"
    companion_text = show(f"{revision}:{sibling}", cwd)
    companion = None
    if companion_text is not None:
        try:
            companion = read_json(companion_text, f"{revision}:{sibling}")
        except SpecFileError:
            companion = None
    return read_markdown(text, companion, ref)
