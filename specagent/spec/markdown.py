"""SPEC.md: the reviewer's view of a Spec, and the grammar the reader parses back.

Diff-friendly by construction: sections in a fixed order, one item per line block, stable IDs,
citations as relative links (``../app.py#L10-L24``) that GitHub renders in a pull request. Each
citation's verbatim quote rides along as the link title, so a person sees it on hover and the
reader recovers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote as url_quote

import yaml

from specagent.spec.model import (
    Citation,
    Component,
    Constraint,
    DataContract,
    Dependency,
    Interface,
    Item,
    Metric,
    OpenQuestion,
    Requirement,
    Risk,
    Spec,
    UserGroup,
    UserStory,
)

#: Section key -> heading text. The numbers make the order explicit to a reader.
SECTION_TITLES: dict[str, str] = {
    "overview": "Overview",
    "user_stories": "User stories",
    "requirements": "Requirements",
    "interfaces": "Interfaces",
    "data_contracts": "Data contracts",
    "metrics": "Success metrics",
    "constraints": "Constraints",
    "dependencies": "Dependencies",
    "architecture": "Architecture",
    "risks": "Risks",
    "open_questions": "Open questions",
}
LOCK = "locked"


def escape_cell(text: str) -> str:
    """Table cells: a literal pipe must not end the cell. Only pipes are escaped (GFM's rule), so
    link titles and code spans keep their own backslashes and still render."""
    return text.replace("|", "\\|")


def citation_href(c: Citation, root_rel: str) -> str:
    """The link target: relative to SPEC.md's folder, URL-quoted, with a line or cell anchor."""
    base = url_quote(c.path, safe="/")
    prefix = "" if root_rel in ("", ".") else root_rel.rstrip("/") + "/"
    if c.cell is not None:
        return f"{prefix}{base}#cell-{c.cell}-L{c.start_line}-L{c.end_line}"
    if c.start_line == c.end_line:
        return f"{prefix}{base}#L{c.start_line}"
    return f"{prefix}{base}#L{c.start_line}-L{c.end_line}"


def citation_link(c: Citation, root_rel: str) -> str:
    """``[app.py:10-24](../app.py#L10-L24 "quote")``."""
    title = ""
    if c.quote:
        escaped = c.quote.replace("\\", "\\\\").replace('"', '\\"')
        title = f' "{escaped}"'
    label = c.label().replace("[", "(").replace("]", ")")
    return f"[{label}]({citation_href(c, root_rel)}{title})"


def sources_text(sources: Iterable[Citation], root_rel: str) -> str:
    return ", ".join(citation_link(c, root_rel) for c in sources)


def tags(item: Item | object, *first: str) -> str:
    words = [w for w in first if w]
    words.append(getattr(item, "provenance", "observed"))
    if getattr(item, "locked", False):
        words.append(LOCK)
    return "(" + ", ".join(words) + ")"


def _yn(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class _Writer:
    def __init__(self, root_rel: str) -> None:
        self.root_rel = root_rel
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def sources(self, sources: list[Citation], indent: str = "  ") -> None:
        if sources:
            self.add(f"{indent}- sources: {sources_text(sources, self.root_rel)}")

    def bullet(
        self, item: Item, headline: str, *first_tags: str, fields: Iterable[tuple[str, str | list[str] | None]] = ()
    ) -> None:
        self.add(f"- **{item.id}** {tags(item, *first_tags)} {headline}")
        for label, value in fields:
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, list):
                self.add(f"  - {label}:")
                self.add(*(f"    - {v}" for v in value))
            else:
                self.add(f"  - {label}: {value}")
        self.sources(item.sources)

    def table(self, header: list[str], rows: list[list[str]], optional: Iterable[str] = ()) -> None:
        """A Markdown table; ``optional`` columns are left out when every cell in them is empty."""
        drop = {i for i, name in enumerate(header) if name in set(optional) and not any(r[i] for r in rows)}
        header = [h for i, h in enumerate(header) if i not in drop]
        rows = [[c for i, c in enumerate(r) if i not in drop] for r in rows]
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(escape_cell(cell) for cell in row) + " |")


def _front_matter(spec: Spec, root_rel: str) -> list[str]:
    meta = spec.meta.model_dump(exclude={"warnings"})  # they live in spec.json; they can be long
    if meta.get("model_usage") is None:
        meta.pop("model_usage", None)  # an offline draft's front matter stays as it was
    meta["root"] = root_rel
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).strip()
    return ["---", body, "---", ""]


def render_markdown(spec: Spec, root_rel: str = "..") -> str:
    """Render a Spec as SPEC.md. ``root_rel`` is the prototype root relative to SPEC.md's folder."""
    w = _Writer(root_rel)
    w.add(*_front_matter(spec, root_rel))
    project = spec.meta.project or "prototype"
    w.add(f"# {project}: production spec (draft)", "")
    w.add(
        f"Drafted by {spec.meta.tool} {spec.meta.tool_version} ({spec.meta.drafter}) from "
        f"{spec.meta.files:,} files, {spec.meta.lines:,} lines. Every item cites where it comes "
        "from. Provenance: *observed* (the prototype does it), *inferred* (reasoned from cited "
        "evidence), *decision* (a person must decide). Mark an item `locked` in its tags to keep "
        "your edits when the draft is regenerated.",
        "",
    )
    for number, (key, title) in enumerate(SECTION_TITLES.items(), start=1):
        w.add(f"## {number}. {title}", "")
        _SECTION_WRITERS[key](w, spec)
        if w.lines[-1] != "":
            w.add("")
    return "\n".join(w.lines).rstrip("\n") + "\n"


def _none(w: _Writer) -> None:
    w.add("_None found._")


def _overview(w: _Writer, spec: Spec) -> None:
    ov = spec.overview
    w.add("### Problem", "")
    if ov.problem is not None:
        w.add(ov.problem.text, "")
        w.add(f"- {tags(ov.problem)[1:-1]}")
        w.sources(ov.problem.sources, indent="")
    else:
        _none(w)
    w.add("")
    for title, items, field in (
        ("Goals", ov.goals, "statement"),
        ("Non-goals", ov.non_goals, "statement"),
        ("Users", ov.users, "name"),
    ):
        w.add(f"### {title}", "")
        for item in items:
            fields = [("description", item.description)] if isinstance(item, UserGroup) else []
            w.bullet(item, getattr(item, field), fields=fields)
        if not items:
            _none(w)
        w.add("")


def _stories(w: _Writer, spec: Spec) -> None:
    for s in spec.user_stories:
        w.bullet(
            s,
            story_sentence(s),
            fields=[
                ("acceptance", [f"**Given** {a.given} **when** {a.when} **then** {a.then}" for a in s.acceptance]),
            ],
        )
    if not spec.user_stories:
        _none(w)


def story_sentence(s: UserStory) -> str:
    tail = f", so that {s.so_that}" if s.so_that else ""
    return f"As a {s.as_a}, I want {s.i_want}{tail}."


def _requirements(w: _Writer, spec: Spec) -> None:
    for r in spec.requirements:
        w.bullet(r, r.statement, r.priority, fields=[("acceptance", list(r.acceptance)), ("rationale", r.rationale)])
    if not spec.requirements:
        _none(w)


def _is_function_list(item: Interface) -> bool:
    """Library functions carry only a signature and a doc line: a list reads better than a table."""
    return bool(item.parameters) and all(
        p.type and p.type.startswith(p.name + "(") and not (p.flags or p.default or p.required) for p in item.parameters
    )


def _parameters_table(w: _Writer, item: Interface) -> None:
    if not item.parameters:
        return
    if _is_function_list(item):
        w.add("- functions:")
        w.add(*(f"  - `{p.type}`" + (f": {p.description}" if p.description else "") for p in item.parameters))
        return
    w.add("")
    w.table(
        ["Parameter", "Flags", "Type", "Required", "Default", "Description"],
        [
            [p.name, " ".join(p.flags), p.type or "", _yn(p.required), p.default or "", p.description or ""]
            for p in item.parameters
        ],
        optional=("Flags", "Type", "Default", "Description"),
    )


def _names_only(item: DataContract) -> bool:
    return all(f.type is None and f.required and not f.constraints and not f.description for f in item.fields)


def _fields_table(w: _Writer, item: DataContract) -> None:
    if not item.fields:
        return
    if _names_only(item):
        w.add("- fields: " + ", ".join(f"`{f.name}`" for f in item.fields))
        return
    w.add("")
    w.table(
        ["Field", "Type", "Required", "Constraints", "Description"],
        [[f.name, f.type or "", _yn(f.required), f.constraints or "", f.description or ""] for f in item.fields],
        optional=("Type", "Constraints", "Description"),
    )


def _headed(
    w: _Writer, item: Interface | DataContract, kind: str, summary: str | None, fields: list[tuple[str, str | None]]
) -> None:
    w.add(f"### {item.id} `{item.name}`", "", f"- tags: {tags(item, kind)}")
    for label, value in fields:
        if value:
            w.add(f"- {label}: {value}")
    if summary:
        w.add(f"- summary: {summary}")
    w.sources(item.sources, indent="")
    if isinstance(item, Interface):
        _parameters_table(w, item)
    else:
        _fields_table(w, item)
    w.add("")


def _interfaces(w: _Writer, spec: Spec) -> None:
    for i in spec.interfaces:
        _headed(
            w,
            i,
            i.kind,
            i.summary,
            [
                ("method", i.method),
                ("route", i.route),
                ("signature", i.signature),
                ("request", i.request),
                ("response", i.response),
                ("errors", i.errors),
            ],
        )
    if not spec.interfaces:
        _none(w)


def _contracts(w: _Writer, spec: Spec) -> None:
    for d in spec.data_contracts:
        _headed(w, d, d.role, d.summary, [("format", d.format)])
    if not spec.data_contracts:
        _none(w)


def _basis(item: Item) -> str:
    return tags(item)[1:-1]


def _metrics(w: _Writer, spec: Spec) -> None:
    if not spec.metrics:
        _none(w)
        return
    w.table(
        ["ID", "Metric", "Definition", "Baseline", "Target", "How measured", "Basis", "Sources"],
        [
            [
                m.id,
                m.name,
                "" if m.definition == m.name else m.definition,  # a bare name needs no definition column
                m.baseline.raw if m.baseline else "",
                m.target or "",
                m.how_measured or "",
                _basis(m),
                sources_text(m.sources, w.root_rel),
            ]
            for m in spec.metrics
        ],
        optional=("Definition", "Target", "How measured"),
    )


def _constraints(w: _Writer, spec: Spec) -> None:
    if not spec.constraints:
        _none(w)
        return
    w.table(
        ["ID", "Category", "Constraint", "Target", "Basis", "Sources"],
        [
            [c.id, c.category, c.statement, c.target or "", _basis(c), sources_text(c.sources, w.root_rel)]
            for c in spec.constraints
        ],
        optional=("Target",),
    )


def _dependencies(w: _Writer, spec: Spec) -> None:
    if not spec.dependencies:
        _none(w)
        return
    w.table(
        ["ID", "Kind", "Name", "Version", "Purpose", "Required", "Basis", "Sources"],
        [
            [
                d.id,
                d.kind,
                d.name,
                d.version or "",
                d.purpose or "",
                _yn(d.required),
                _basis(d),
                sources_text(d.sources, w.root_rel),
            ]
            for d in spec.dependencies
        ],
        optional=("Version", "Purpose", "Required"),
    )


def _node_id(name: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def mermaid(components: list[Component]) -> list[str]:
    """A flowchart of components and the services they call; GitHub renders it."""
    lines = ["```mermaid", "flowchart LR"]
    known = {c.name for c in components}
    externals = sorted({u for c in components for u in c.uses if u not in known})
    for c in components:
        label = c.name.replace('"', "'")
        lines.append(f'  {_node_id(c.name)}["{label}"]')
    for name in externals:
        lines.append(f'  {_node_id(name)}(["{name}"])')
    for c in components:
        for target in c.uses:
            lines.append(f"  {_node_id(c.name)} --> {_node_id(target)}")
    lines.append("```")
    return lines


def _architecture(w: _Writer, spec: Spec) -> None:
    if not spec.architecture:
        _none(w)
        return
    w.add(*mermaid(spec.architecture), "")
    for c in spec.architecture:
        w.bullet(
            c,
            f"`{c.name}`: {c.responsibility}",
            fields=[
                ("paths", ", ".join(f"`{p}`" for p in c.paths) or None),
                ("uses", ", ".join(f"`{u}`" for u in c.uses) or None),
            ],
        )


def _risks(w: _Writer, spec: Spec) -> None:
    if not spec.risks:
        _none(w)
        return
    w.table(
        ["ID", "Risk", "Detail", "Likelihood", "Impact", "Mitigation", "Basis", "Sources"],
        [
            [
                r.id,
                r.title,
                r.detail or "",
                r.likelihood,
                r.impact,
                r.mitigation or "",
                _basis(r),
                sources_text(r.sources, w.root_rel),
            ]
            for r in spec.risks
        ],
        optional=("Detail", "Mitigation"),
    )


def _questions(w: _Writer, spec: Spec) -> None:
    for q in spec.open_questions:
        w.bullet(q, q.question, fields=[("why", q.why), ("options", list(q.options))])
    if not spec.open_questions:
        w.add("_None._")


_SECTION_WRITERS = {
    "overview": _overview,
    "user_stories": _stories,
    "requirements": _requirements,
    "interfaces": _interfaces,
    "data_contracts": _contracts,
    "metrics": _metrics,
    "constraints": _constraints,
    "dependencies": _dependencies,
    "architecture": _architecture,
    "risks": _risks,
    "open_questions": _questions,
}

__all__ = [
    "SECTION_TITLES",
    "Constraint",
    "Dependency",
    "Metric",
    "OpenQuestion",
    "Requirement",
    "Risk",
    "citation_href",
    "citation_link",
    "mermaid",
    "render_markdown",
    "story_sentence",
]
