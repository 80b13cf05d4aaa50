"""Read the items of SPEC.md's sections back: bullets, headed blocks and table rows, with their citations.

:mod:`specagent.spec.reader` splits the document into sections and hands their lines here.
"""

from __future__ import annotations

import re
from typing import Any

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
from specagent.spec.reader_markup import (
    BULLET_RE,
    HEADED_RE,
    ItemBlock,
    item_blocks,
    or_none,
    parse_citations,
    parse_tags,
    rows_by_header,
    table_rows,
    yes_no,
)

__all__ = ["ItemReader"]

STORY_RE = re.compile(r"^As an? (?P<as_a>.+?), I want (?P<i_want>.+?)(?:, so that (?P<so_that>.+?))?\.$")
GWT_RE = re.compile(r"^\*\*Given\*\* (?P<given>.*?) \*\*when\*\* (?P<when>.*?) \*\*then\*\* (?P<then>.*)$")


class ItemReader:
    """The items of each section of SPEC.md, from the section's lines.

    ``sections`` maps a section's key to its lines; ``root_rel`` is the prototype's folder as
    SPEC.md's links name it; ``companion`` (the spec.json beside SPEC.md) gives values SPEC.md
    does not show.
    """

    def __init__(self, sections: dict[str, list[str]], root_rel: str, companion: Spec | None) -> None:
        self.sections = sections
        self.root_rel = root_rel
        self.companion = companion

    def spec(self, meta: Meta) -> Spec:
        """The spec: ``meta`` and every section's items."""
        return Spec(
            meta=meta,
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

    def cites(self, text: str | None) -> list[Citation]:
        """The citations in ``text`` (a ``sources:`` field or cell)."""
        return parse_citations(text or "", self.root_rel)

    def _common(self, block: ItemBlock) -> dict[str, Any]:
        words, provenance, locked = parse_tags(block.head["tags"] if "tags" in block.head.groupdict() else "")
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
        """The overview: the problem, goals, non-goals and users."""
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
            _, provenance, locked = parse_tags(tag_line[2:].strip("() "))
            src = next((ln for ln in prob_lines if ln.startswith("- sources:")), "")
            problem = Problem(
                text=" ".join(text_lines).strip(), provenance=provenance, locked=locked, sources=self.cites(src)
            )
        goals, non_goals, users = [], [], []
        for block in item_blocks(parts.get("goals", []), BULLET_RE):
            goals.append(Goal(**self._drop(self._common(block)), statement=block.head["text"]))
        for block in item_blocks(parts.get("non-goals", []), BULLET_RE):
            non_goals.append(NonGoal(**self._drop(self._common(block)), statement=block.head["text"]))
        for block in item_blocks(parts.get("users", []), BULLET_RE):
            users.append(
                UserGroup(
                    **self._drop(self._common(block)),
                    name=block.head["text"],
                    description=or_none(block.fields.get("description")),
                )
            )
        return Overview(problem=problem, goals=goals, non_goals=non_goals, users=users)

    def user_stories(self) -> list[UserStory]:
        """User stories; a sentence a person rewrote freely is kept whole as what the user wants."""
        out = []
        for block in item_blocks(self.sections.get("user_stories", []), BULLET_RE):
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
        """Functional and non-functional requirements (NFR- IDs)."""
        out = []
        for block in item_blocks(self.sections.get("requirements", []), BULLET_RE):
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
                    rationale=or_none(block.fields.get("rationale")),
                )
            )
        return out

    def _headed(self, key: str) -> list[tuple[ItemBlock, dict[str, Any], str]]:
        out = []
        for block in item_blocks(self.sections.get(key, []), HEADED_RE):
            raw_tags = block.fields.get("tags", "()").strip()[1:-1]
            words, provenance, locked = parse_tags(raw_tags)
            common = {
                "id": block.head["id"],
                "provenance": provenance,
                "locked": locked,
                "sources": self.cites(block.fields.get("sources")),
            }
            out.append((block, common, words[0] if words else ""))
        return out

    def interfaces(self) -> list[Interface]:
        """Interfaces, with the parameters of their tables and functions lists."""
        out = []
        for block, common, kind in self._headed("interfaces"):
            params = []
            for table in block.tables:
                for row in rows_by_header(table):
                    params.append(
                        Parameter(
                            name=row.get("parameter", ""),
                            flags=row.get("flags", "").split(),
                            type=or_none(row.get("type")),
                            required=bool(yes_no(row.get("required", ""))),
                            default=or_none(row.get("default")),
                            description=or_none(row.get("description")),
                        )
                    )
            for entry in block.lists.get("functions", []):
                match = re.match(r"^`(?P<sig>[^`]*)`(?:: (?P<doc>.*))?$", entry)
                if match:
                    sig = match["sig"]
                    params.append(Parameter(name=sig.split("(")[0], type=sig, description=or_none(match["doc"])))
            f = block.fields
            out.append(
                Interface(
                    **common,
                    kind=kind or "other",
                    name=block.head["name"],
                    summary=or_none(f.get("summary")),
                    signature=or_none(f.get("signature")),
                    method=or_none(f.get("method")),
                    route=or_none(f.get("route")),
                    request=or_none(f.get("request")),
                    response=or_none(f.get("response")),
                    errors=or_none(f.get("errors")),
                    parameters=params,
                )
            )
        return out

    def data_contracts(self) -> list[DataContract]:
        """Data contracts, with the fields of their tables and ``fields:`` lines."""
        out = []
        for block, common, role in self._headed("data_contracts"):
            fields = []
            for table in block.tables:
                for row in rows_by_header(table):
                    required = yes_no(row.get("required", ""))
                    fields.append(
                        FieldSpec(
                            name=row.get("field", ""),
                            type=or_none(row.get("type")),
                            required=True if required is None else required,
                            constraints=or_none(row.get("constraints")),
                            description=or_none(row.get("description")),
                        )
                    )
            fields.extend(FieldSpec(name=n) for n in re.findall(r"`([^`]*)`", block.fields.get("fields", "")))
            out.append(
                DataContract(
                    **common,
                    role=role or "input",
                    name=block.head["name"],
                    format=or_none(block.fields.get("format")),
                    summary=or_none(block.fields.get("summary")),
                    fields=fields,
                )
            )
        return out

    def _row_common(self, row: dict[str, str]) -> dict[str, Any]:
        _, provenance, locked = parse_tags(row.get("basis", ""))
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
        """Metrics; a baseline unchanged since spec.json keeps its parsed value and unit."""
        out = []
        for row in table_rows(self.sections.get("metrics", [])):
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
                    target=or_none(row.get("target")),
                    how_measured=or_none(row.get("how measured")),
                )
            )
        return out

    def constraints(self) -> list[Constraint]:
        """Constraints, one per table row."""
        return [
            Constraint(
                **self._row_common(row),
                category=row.get("category") or "other",
                statement=row.get("constraint", ""),
                target=or_none(row.get("target")),
            )
            for row in table_rows(self.sections.get("constraints", []))
        ]

    def dependencies(self) -> list[Dependency]:
        """Dependencies, one per table row."""
        return [
            Dependency(
                **self._row_common(row),
                kind=row.get("kind") or "package",
                name=row.get("name", ""),
                version=or_none(row.get("version")),
                purpose=or_none(row.get("purpose")),
                required=yes_no(row.get("required", "")),
            )
            for row in table_rows(self.sections.get("dependencies", []))
        ]

    def architecture(self) -> list[Component]:
        """Components of the architecture."""
        out = []
        for block in item_blocks(self.sections.get("architecture", []), BULLET_RE):
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
        """Risks; a likelihood or impact that is no level reads as medium."""
        out = []
        for row in table_rows(self.sections.get("risks", [])):
            level = {"low", "medium", "high"}
            likelihood = row.get("likelihood", "medium")
            impact = row.get("impact", "medium")
            out.append(
                Risk(
                    **self._row_common(row),
                    title=row.get("risk", ""),
                    detail=or_none(row.get("detail")),
                    likelihood=likelihood if likelihood in level else "medium",
                    impact=impact if impact in level else "medium",
                    mitigation=or_none(row.get("mitigation")),
                )
            )
        return out

    def open_questions(self) -> list[OpenQuestion]:
        """Open questions, with their options."""
        return [
            OpenQuestion(
                **self._drop(self._common(block)),
                question=block.head["text"],
                why=or_none(block.fields.get("why")),
                options=block.lists.get("options", []),
            )
            for block in item_blocks(self.sections.get("open_questions", []), BULLET_RE)
        ]
