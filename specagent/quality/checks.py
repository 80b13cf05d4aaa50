"""The checks ``specagent check`` runs on a Spec, against the repository's (redacted) text.

Each check yields :class:`~specagent.quality.findings.Finding` objects; :func:`run_checks` runs
them all and also fills the :class:`~specagent.quality.findings.Scores` the eval suite reports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from specagent.quality.ears import classify
from specagent.quality.findings import SMELL_CODES, CheckReport, Finding, Scores, finding
from specagent.quality.smells import detect
from specagent.quality.truth import RepoText, backticked
from specagent.spec.model import ID_RE, SECTION_PREFIXES, Citation, Spec, item_text
from specagent.spec.resolve import resolve

#: Sections whose emptiness matters (open questions may be empty).
CONTENT_SECTIONS: tuple[str, ...] = tuple(s for s in SECTION_PREFIXES if s != "open_questions")
#: Word stems an open question uses when it defers a section. Each matches at the start of a
#: word ("behaviour" also matches "behaviours"); a trailing ``$`` asks for the whole word (plus an
#: optional plural "s"), for short stems that begin other words ("cli" in "client").
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "overview": ("overview", "problem", "goal", "non-goal", "user", "persona", "audience"),
    "user_stories": ("user stor", "story", "stories", "user", "persona", "who uses"),
    "requirements": ("requirement", "required", "behaviour", "behavior", "acceptance", "accepted"),
    "interfaces": ("interface", "api$", "cli$", "http", "endpoint"),
    "data_contracts": ("data$", "input", "output", "schema"),
    "metrics": ("metric", "success", "measur", "target", "kpi$"),
    "constraints": ("constraint", "latency", "cost", "budget", "privacy", "throughput"),
    "dependencies": ("dependenc", "package", "service"),
    "architecture": ("architecture", "component", "deployment"),
    "risks": ("risk",),
}


def _stem_pattern(stem: str) -> str:
    if stem.endswith("$"):
        return rf"\b{re.escape(stem[:-1])}s?\b"
    return rf"\b{re.escape(stem)}"


_SECTION_RES: dict[str, re.Pattern[str]] = {
    section: re.compile("|".join(_stem_pattern(s) for s in stems), re.IGNORECASE)
    for section, stems in SECTION_WORDS.items()
}
NEAR_DUPLICATE_JACCARD = 0.8
_NORM = re.compile(r"[^a-z0-9 ]+")
_HAS_NUMBER = re.compile(r"\d")


def _line(lines: Mapping[str, int], item_id: str | None) -> int | None:
    return lines.get(item_id) if item_id else None


def check_ids(spec: Spec, lines: Mapping[str, int]) -> Iterator[Finding]:
    """SA002 malformed, SA003 duplicate, SA004 wrong-section IDs."""
    seen: Counter[str] = Counter()
    for section, item in spec.iter_items():
        seen[item.id] += 1
        m = ID_RE.match(item.id)
        if m is None:  # only reachable for specs built in code without validation
            yield finding("SA002", f"malformed item id {item.id!r}", item.id, _line(lines, item.id))
        elif m.group(1) not in SECTION_PREFIXES[section]:
            expected = "/".join(SECTION_PREFIXES[section])
            yield finding(
                "SA004",
                f"{item.id} is in {section} but its prefix belongs elsewhere (use {expected}-)",
                item.id,
                _line(lines, item.id),
            )
    for item_id, n in seen.items():
        if n > 1:
            yield finding("SA003", f"{item_id} is used by {n} items", item_id, _line(lines, item_id))


def _owners(spec: Spec) -> Iterator[tuple[str, str, list[Citation]]]:
    """(owner id, provenance, citations) for the problem and every item."""
    if spec.overview.problem is not None:
        p = spec.overview.problem
        yield "problem", p.provenance, p.sources
    for _, item in spec.iter_items():
        yield item.id, item.provenance, item.sources


def _citation_code(problem: str) -> str:
    if "not in the prototype" in problem:
        return "SA101"
    if "quote not found" in problem:
        return "SA103"
    return "SA102"


def check_citations(
    spec: Spec, texts: Mapping[str, str], lines: Mapping[str, int], scores: Scores
) -> Iterator[Finding]:
    """SA101-SA103 citations that do not resolve; SA104 observed items that cite nothing."""
    for owner, provenance, sources in _owners(spec):
        if provenance == "observed" and not sources:
            yield finding("SA104", "called observed but cites nothing", owner, _line(lines, owner))
        for citation in sources:
            scores.citations += 1
            problem = resolve(citation, texts)
            if problem is None:
                scores.citations_resolved += 1
                continue
            yield finding(
                _citation_code(problem),
                f"citation {citation.label()} does not resolve: {problem}",
                owner,
                _line(lines, owner),
            )


def _texts_of(spec: Spec) -> Iterator[tuple[str, str]]:
    if spec.overview.problem is not None:
        yield "problem", spec.overview.problem.text
    for _, item in spec.iter_items():
        yield item.id, item_text(item)


def check_truthfulness(spec: Spec, repo: RepoText, lines: Mapping[str, int], scores: Scores) -> Iterator[Finding]:
    """SA201: backticked identifiers and paths (and component paths) missing from the repo."""
    for owner, text in _texts_of(spec):
        spans = backticked(text)
        for lookup in repo.lookup(spans):
            scores.identifiers += 1
            if lookup.found:
                scores.identifiers_found += 1
            else:
                yield finding(
                    "SA201",
                    f"`{lookup.span}` is not found in the repository",
                    owner,
                    _line(lines, owner),
                )
    for component in spec.architecture:
        for path in component.paths:
            scores.identifiers += 1
            if repo.has_path(path):
                scores.identifiers_found += 1
            else:
                yield finding(
                    "SA201",
                    f"component path {path} is not in the repository",
                    component.id,
                    _line(lines, component.id),
                )


def _filled(spec: Spec, section: str) -> bool:
    if section == "overview":
        return spec.overview.problem is not None or bool(spec.section_items("overview"))
    return bool(spec.section_items(section))


def _deferred(spec: Spec, section: str) -> str | None:
    """The id of an open question that names ``section`` in what it asks, if any."""
    pattern = _SECTION_RES[section]
    for q in spec.open_questions:
        # Only the question: its "why" mentions neighbouring sections ("acceptance criteria need
        # user stories") without asking about them.
        if pattern.search(q.question):
            return q.id
    return None


def unnamed_empty_sections(spec: Spec) -> list[str]:
    """Content sections that are empty with no open question naming them (what SA301 reports)."""
    return [s for s in CONTENT_SECTIONS if not _filled(spec, s) and _deferred(spec, s) is None]


def check_completeness(spec: Spec, lines: Mapping[str, int], scores: Scores) -> Iterator[Finding]:
    """SA301 empty sections no open question names; SA302 empty sections deferred to one."""
    for section in CONTENT_SECTIONS:
        scores.sections += 1
        if _filled(spec, section):
            scores.sections_filled += 1
            scores.sections_complete += 1
            continue
        question = _deferred(spec, section)
        if question:
            scores.sections_complete += 1
            yield finding(
                "SA302",
                f"{section} is empty; {question} asks about it",
                question,
                _line(lines, question),
            )
        else:
            yield finding(
                "SA301",
                f"{section} is empty and no open question names it",
                line=_line(lines, f"section:{section}"),
            )


def _statements(spec: Spec) -> Iterator[tuple[str, str, bool]]:
    """(id, statement, is_requirement) of requirement-like items."""
    for r in spec.requirements:
        yield r.id, r.statement, True
    for c in spec.constraints:
        yield c.id, c.statement, False


def check_statements(spec: Spec, lines: Mapping[str, int], scores: Scores) -> Iterator[Finding]:
    """SA401-SA410 smells in requirements and constraints; SA501 EARS for requirements."""
    for item_id, statement, is_requirement in _statements(spec):
        scores.statements += 1
        smells = detect(statement)
        if smells:
            scores.statements_smelly += 1
        for smell in smells:
            yield finding(SMELL_CODES[smell.kind], smell.message(), item_id, _line(lines, item_id))
        if is_requirement:
            ears = classify(statement)
            if ears.pattern is None:
                yield finding(
                    "SA501",
                    f"not in an EARS pattern: {ears.problem}",
                    item_id,
                    _line(lines, item_id),
                )


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_NORM.sub(" ", text.lower()).split())


def check_duplicates(spec: Spec, lines: Mapping[str, int]) -> Iterator[Finding]:
    """SA601 identical and SA602 near-identical (token Jaccard >= 0.8) statements."""
    seen: list[tuple[str, str, frozenset[str]]] = []
    for item_id, statement, _ in _statements(spec):
        norm = " ".join(_NORM.sub(" ", statement.lower()).split())
        tokens = _tokens(statement)
        for other_id, other_norm, other_tokens in seen:
            if norm == other_norm:
                yield finding("SA601", f"states the same as {other_id}", item_id, _line(lines, item_id))
                break
            union = tokens | other_tokens
            if union and len(tokens & other_tokens) / len(union) >= NEAR_DUPLICATE_JACCARD:
                yield finding("SA602", f"nearly the same as {other_id}", item_id, _line(lines, item_id))
                break
        seen.append((item_id, norm, tokens))


def check_metrics(spec: Spec, lines: Mapping[str, int]) -> Iterator[Finding]:
    """SA701 no baseline, SA702 no target, SA703 a target with no number."""
    for m in spec.metrics:
        line = _line(lines, m.id)
        if m.baseline is None:
            yield finding("SA701", f"metric {m.name!r} has no baseline", m.id, line)
        if not (m.target or "").strip():
            yield finding("SA702", f"metric {m.name!r} has no target", m.id, line)
        elif not _HAS_NUMBER.search(m.target or ""):
            yield finding("SA703", f"metric {m.name!r} target {m.target!r} has no number", m.id, line)


def run_checks(
    spec: Spec,
    texts: Mapping[str, str],
    lines: Mapping[str, int] | None = None,
    *,
    repo: RepoText | None = None,
) -> CheckReport:
    """Run every check on ``spec``. ``texts``: the repository's redacted text by relative path."""
    lines = lines or {}
    repo = repo or RepoText(texts)
    scores = Scores()
    findings: list[Finding] = []
    findings.extend(check_ids(spec, lines))
    findings.extend(check_citations(spec, texts, lines, scores))
    findings.extend(check_truthfulness(spec, repo, lines, scores))
    findings.extend(check_completeness(spec, lines, scores))
    findings.extend(check_statements(spec, lines, scores))
    findings.extend(check_duplicates(spec, lines))
    findings.extend(check_metrics(spec, lines))
    return CheckReport(findings=findings, scores=scores)
