"""Carry a drafted spec into OpenSpec or Spec Kit, keeping item IDs and citations as references.

OpenSpec (``openspec/specs/<capability>/spec.md``): one capability per kind of behaviour
(HTTP API, CLI, library, schedules, UI, data contracts, requirements, user stories); each item
is a ``### Requirement:`` whose first body line is a SHALL statement, with ``#### Scenario:``
blocks (``- **WHEN** ... - **THEN** ...``) taken from acceptance criteria, or, for observed
behaviour that has none, from what the prototype does (the route answers, the command runs).
``openspec validate --strict`` accepts the result (a test runs the real CLI).

Spec Kit (``specs/<nnn-project>/spec.md``): its template's sections: user stories with
priorities and acceptance scenarios, functional requirements, key entities, success criteria.
Where the draft has no user stories or requirements yet (the offline drafter leaves them to a
model), both formats state the observed interfaces instead and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from specagent.spec.model import (
    Citation,
    DataContract,
    Interface,
    Item,
    Metric,
    Requirement,
    Spec,
    UserStory,
)

#: Interface kind -> (capability folder, title, who uses it).
_CAPABILITIES: dict[str, tuple[str, str, str]] = {
    "http": ("http-api", "HTTP API", "a client"),
    "cli": ("cli", "Command line", "an operator"),
    "library": ("library", "Library API", "a caller"),
    "schedule": ("schedules", "Scheduled jobs", "the scheduler"),
    "ui": ("ui", "User interface", "a user"),
    "file": ("files", "Files read and written", "the system"),
    "event": ("events", "Events", "a producer"),
    "other": ("other-interfaces", "Other interfaces", "a caller"),
}
_MAX_TEXT = 450  # OpenSpec warns (and --strict fails) over 500 characters of requirement text


def _one_line(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _clip(text: str, limit: int) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _refs(item: Item) -> str:
    """``IF-002; sources: app/routes.py:54-64, app/routes.py:29``."""
    cites = ", ".join(f"`{c.label()}`" for c in item.sources[:4])
    more = f" (+{len(item.sources) - 4} more)" if len(item.sources) > 4 else ""
    return f"Spec item {item.id}" + (f"; sources: {cites}{more}" if cites else "") + "."


def _code(text: str | None) -> str:
    """A name in backticks, unless it is already in them."""
    text = _one_line(text)
    return text if text.startswith("`") else f"`{text}`"


def _shall(statement: str) -> str:
    """An EARS-ish statement with its ``shall`` in OpenSpec's capitals, or made into one."""
    text = _one_line(statement).rstrip(".")
    if re.search(r"\b(shall|must)\b", text, re.IGNORECASE):
        return re.sub(r"\b(shall|must)\b", lambda m: m[1].upper(), text, count=1, flags=re.IGNORECASE) + "."
    return f"The system SHALL satisfy: {text}."


def _interface_behaviour(item: Interface, who: str) -> tuple[str, list[tuple[str, str]]]:
    """(SHALL statement, scenarios as (when, then)) for an observed interface."""
    summary = f" ({_clip(item.summary, 160)})" if item.summary else ""
    if item.kind == "http":
        answer = f"answer with {_one_line(item.response)}" if item.response else "answer the request"
        statement = f"The system SHALL serve {_code(item.name)}{summary} and {answer}."
        scenarios = [(f"{who} sends {_code(item.name)}", f"the system {answer}")]
        for line in (item.errors or "").split(";")[:3]:
            if line.strip():
                scenarios.append(
                    (f"{who} sends {_code(item.name)} that fails", f"the system answers {_clip(line, 120)}")
                )
        return statement, scenarios
    if item.kind == "cli":
        options = ", ".join(_code(p.flags[0] if p.flags else p.name) for p in item.parameters[:8])
        statement = f"The system SHALL provide the command {_code(item.name)}{summary}"
        statement += f" with options {options}." if options else "."
        return statement, [(f"{who} runs {_code(item.name)}", "the command does what the prototype's command does")]
    if item.kind == "library":
        names = ", ".join(_code(p.name) for p in item.parameters[:8])
        statement = f"The system SHALL provide the module {_code(item.name)}{summary}"
        statement += f" with {names}." if names else "."
        return statement, [(f"{who} imports {_code(item.name)}", "the functions listed are available")]
    statement = f"The system SHALL provide {item.kind} {_code(item.name)}{summary}."
    return statement, [(f"{who} uses {_code(item.name)}", "it behaves as the prototype's does")]


def _gwt(given: str, when: str, then: str) -> list[str]:
    lines = []
    if given:
        lines.append(f"- **GIVEN** {_clip(given, 200)}")
    lines += [f"- **WHEN** {_clip(when, 200)}", f"- **THEN** {_clip(then, 200)}"]
    return lines


def _requirement_block(title: str, statement: str, refs: str, scenarios: list[tuple[str, list[str]]]) -> list[str]:
    out = [f"### Requirement: {_clip(title, 120)}", _clip(statement, _MAX_TEXT - len(refs) - 1) + " " + refs, ""]
    for name, bullets in scenarios:
        out += [f"#### Scenario: {_clip(name, 100)}", *bullets, ""]
    return out


def _criterion(text: str) -> list[str]:
    """A free-text acceptance criterion as WHEN/THEN (Given/When/Then when it is written so)."""
    match = re.match(r"^\s*given\s+(.*?),?\s+when\s+(.*?),?\s+then\s+(.*)$", text, re.IGNORECASE | re.DOTALL)
    if match:
        return _gwt(match[1], match[2], match[3])
    name, _, rest = text.partition(":")
    if rest and name.strip().startswith("`"):
        return _gwt("", f"the check {name.strip()} runs", rest.strip())
    return _gwt("", "the behaviour is exercised", text)


def _purpose(title: str, project: str, count: int, observed: bool) -> str:
    what = "observed in the prototype's code" if observed else "drafted from the prototype"
    return (
        f"{title} of {project}: {count} requirement{'s' if count != 1 else ''} {what} by specagent. "
        "Each requirement names its spec item ID and the source lines it cites."
    )


def _openspec_file(title: str, project: str, blocks: list[list[str]], observed: bool) -> str:
    out = [f"# {title} Specification", "", "## Purpose", _purpose(title, project, len(blocks), observed), ""]
    out += ["## Requirements", ""]
    for block in blocks:
        out += block
    return "\n".join(out).rstrip() + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "project"


def export_openspec(spec: Spec) -> dict[str, str]:
    """Files of an OpenSpec tree (relative path -> text): ``openspec/specs/<capability>/spec.md``."""
    project = spec.meta.project or "the prototype"
    files: dict[str, str] = {}
    by_kind: dict[str, list[Interface]] = {}
    for item in spec.interfaces:
        by_kind.setdefault(item.kind, []).append(item)
    for kind, items in by_kind.items():
        folder, title, who = _CAPABILITIES[kind]
        blocks = []
        for item in items:
            statement, scenarios = _interface_behaviour(item, who)
            named = [(f"{item.id} {when}", _gwt("", when, then)) for when, then in scenarios]
            blocks.append(_requirement_block(f"{item.id} {item.name}", statement, _refs(item), named))
        files[f"openspec/specs/{folder}/spec.md"] = _openspec_file(title, project, blocks, True)
    if spec.data_contracts:
        blocks = []
        for dc in spec.data_contracts:
            fields = ", ".join(_code(f.name) for f in dc.fields[:12])
            fmt = f" as {_one_line(dc.format)}" if dc.format else ""
            statement = f"The system SHALL keep the {dc.role} data {_code(dc.name)}{fmt}"
            statement += f" with fields {fields}." if fields else "."
            when = {"input": "the system reads", "output": "the system writes", "stored": "the system stores"}
            scenario = _gwt("", f"{when.get(dc.role, 'the system uses')} {_code(dc.name)}", "it has the fields listed")
            blocks.append(
                _requirement_block(f"{dc.id} {dc.name}", statement, _refs(dc), [(f"{dc.id} shape", scenario)])
            )
        files["openspec/specs/data-contracts/spec.md"] = _openspec_file("Data contracts", project, blocks, True)
    if spec.requirements:
        blocks = []
        for req in spec.requirements:
            criteria = req.acceptance or [req.statement]
            criteria_scenarios = [(f"{req.id} criterion {n}", _criterion(c)) for n, c in enumerate(criteria, start=1)]
            title = f"{req.id} {_clip(req.statement, 80)}"
            blocks.append(_requirement_block(title, _shall(req.statement), _refs(req), criteria_scenarios))
        files["openspec/specs/requirements/spec.md"] = _openspec_file("Requirements", project, blocks, False)
    if spec.user_stories:
        blocks = []
        for story in spec.user_stories:
            statement = f"The system SHALL let {story.as_a} {_one_line(story.i_want)}"
            statement += f", so that {_one_line(story.so_that)}." if story.so_that else "."
            story_scenarios = [
                (f"{story.id} acceptance {n}", _gwt(a.given, a.when, a.then))
                for n, a in enumerate(story.acceptance, start=1)
            ] or [(f"{story.id} story", _gwt("", f"{story.as_a} {_one_line(story.i_want)}", "the system allows it"))]
            blocks.append(_requirement_block(f"{story.id} {story.i_want}", statement, _refs(story), story_scenarios))
        files["openspec/specs/user-stories/spec.md"] = _openspec_file("User stories", project, blocks, False)
    if not files:
        # Nothing to state yet: one capability that says so, still valid OpenSpec.
        statement = "The system SHALL be specified before it is built: the draft found no interfaces yet."
        scenario = _gwt("", "a person reviews the spec", "the open questions are answered")
        block = _requirement_block("Specify the product", statement, "Spec item none.", [("review", scenario)])
        files["openspec/specs/product/spec.md"] = _openspec_file("Product", project, [block], False)
    return files


# --- Spec Kit -------------------------------------------------------------------------------------


def _cites(sources: Iterable[Citation]) -> str:
    labels = [f"`{c.label()}`" for c in sources]
    return f" (sources: {', '.join(labels[:3])}{' …' if len(labels) > 3 else ''})" if labels else ""


def _stories(spec: Spec) -> list[str]:
    out: list[str] = []
    stories: list[UserStory] = list(spec.user_stories)
    if stories:
        for n, story in enumerate(stories, start=1):
            priority = "P1" if story.acceptance else "P2"
            out += [f"### User Story {n} - {story.id}: {_clip(story.i_want, 80)} (Priority: {priority})", ""]
            sentence = f"As {story.as_a}, I want {_one_line(story.i_want)}"
            out += [
                sentence + (f", so that {_one_line(story.so_that)}." if story.so_that else ".") + _cites(story.sources),
                "",
            ]
            out += [
                f"**Why this priority**: {'has acceptance criteria' if story.acceptance else 'no criteria yet'}.",
                "",
            ]
            out += ["**Acceptance Scenarios**:", ""]
            for k, a in enumerate(story.acceptance or [], start=1):
                out.append(
                    f"{k}. **Given** {_one_line(a.given)}, **When** {_one_line(a.when)}, **Then** {_one_line(a.then)}"
                )
            if not story.acceptance:
                out.append("1. [NEEDS CLARIFICATION: acceptance criteria]")
            out.append("")
        return out
    # No stories drafted yet: one per kind of interface, from what the prototype does.
    by_kind: dict[str, list[Interface]] = {}
    for item in spec.interfaces:
        by_kind.setdefault(item.kind, []).append(item)
    order = ["http", "cli", "ui", "schedule", "library", "file", "event", "other"]
    for n, kind in enumerate(sorted(by_kind, key=order.index), start=1):
        _, title, who = _CAPABILITIES[kind]
        priority = "P1" if n == 1 else ("P2" if n == 2 else "P3")
        out += [f"### User Story {n} - {title} (Priority: {priority})", ""]
        out += [
            f"Observed behaviour: {who} uses the {title.lower()} the prototype offers (stories not drafted yet).",
            "",
        ]
        out += [f"**Why this priority**: {title} is interface group {n} of {len(by_kind)} in the prototype.", ""]
        out += ["**Acceptance Scenarios**:", ""]
        for k, item in enumerate(by_kind[kind], start=1):
            _, scenarios = _interface_behaviour(item, who)
            when, then = scenarios[0]
            out.append(f"{k}. **Given** the system is running, **When** {when}, **Then** {then} ({item.id}).")
        out.append("")
    return out


def export_speckit(spec: Spec) -> dict[str, str]:
    """A Spec Kit feature spec (relative path -> text): ``specs/001-<project>/spec.md``."""
    project = spec.meta.project or "prototype"
    folder = f"specs/001-{_slug(project)}"
    out = [
        f"# Feature Specification: {project} (brownfield baseline)",
        "",
        f"**Feature Branch**: `001-{_slug(project)}`",
        f"**Created**: {spec.meta.generated_at[:10] or 'unknown'}",
        "**Status**: Draft",
        f'**Input**: Drafted by specagent from the prototype "{project}"'
        + (f" at commit `{spec.meta.git_commit[:12]}`" if spec.meta.git_commit else "")
        + ". Item IDs and cited source lines are kept as references.",
        "",
        "## User Scenarios & Testing *(mandatory)*",
        "",
        *_stories(spec),
        "### Edge Cases",
        "",
    ]
    edge = [r for r in spec.risks][:8]
    out += [f"- {r.id}: {_one_line(r.title)}{_cites(r.sources)}" for r in edge] or ["- None recorded yet."]
    out += ["", "## Requirements *(mandatory)*", "", "### Functional Requirements", ""]
    reqs: list[Requirement] = [r for r in spec.requirements]
    if reqs:
        for r in reqs:
            out.append(f"- **{r.id}**: {_shall(r.statement).replace('SHALL', 'MUST', 1)}{_cites(r.sources)}")
    for item in spec.interfaces:  # observed behaviour, always: a requirement the prototype already meets
        statement, _ = _interface_behaviour(item, "")
        out.append(f"- **{item.id}**: {statement.replace('SHALL', 'MUST', 1)}{_cites(item.sources)}")
    if not reqs and not spec.interfaces:
        out.append("- **FR-001**: System MUST [NEEDS CLARIFICATION: no requirement or interface drafted yet]")
    entities: list[DataContract] = list(spec.data_contracts)
    if entities:
        out += ["", "### Key Entities *(include if feature involves data)*", ""]
        for dc in entities:
            fields = ", ".join(f.name for f in dc.fields[:10])
            what = f"{dc.role} data" + (f", {_one_line(dc.format)}" if dc.format else "")
            out.append(
                f"- **{dc.name}** ({dc.id}): {what}" + (f"; fields: {fields}" if fields else "") + _cites(dc.sources)
            )
    out += ["", "## Success Criteria *(mandatory)*", "", "### Measurable Outcomes", ""]
    metrics: list[Metric] = list(spec.metrics)
    for n, m in enumerate(metrics, start=1):
        base = f"; prototype baseline {m.baseline.raw}" if m.baseline else ""
        target = f"; target {m.target}" if m.target else "; target [NEEDS CLARIFICATION]"
        out.append(f"- **SC-{n:03d}** ({m.id}): {_one_line(m.name)}{base}{target}{_cites(m.sources)}")
    if not metrics:
        out.append("- **SC-001**: [NEEDS CLARIFICATION: the prototype measured nothing to set a target from]")
    return {f"{folder}/spec.md": "\n".join(out).rstrip() + "\n"}


FORMATS = {"openspec": export_openspec, "speckit": export_speckit}
