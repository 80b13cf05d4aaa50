"""What a check reports: a finding with a stable code, a severity, the item and the spec line.

Codes never change meaning; new checks get new codes. ``CHECKS`` is the catalogue ``specagent
check --list`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """One kind of finding: its code, slug, default severity and what it means."""

    code: str
    name: str
    severity: Severity
    summary: str


_CATALOGUE = [
    CheckInfo("SA001", "schema-invalid", "error", "not a spec, or it does not validate against the schema"),
    CheckInfo("SA002", "id-malformed", "error", "an item ID is not PREFIX-NNN (e.g. FR-001)"),
    CheckInfo("SA003", "id-duplicate", "error", "two items share one ID"),
    CheckInfo("SA004", "id-wrong-section", "warning", "an ID's prefix belongs to another section"),
    CheckInfo("SA101", "citation-unresolved", "error", "a cited file is not in the repository"),
    CheckInfo("SA102", "citation-out-of-range", "error", "cited lines or cell past the end"),
    CheckInfo("SA103", "citation-quote-mismatch", "error", "a citation's quote is not at its lines"),
    CheckInfo("SA104", "observed-uncited", "warning", "an item called observed cites nothing"),
    CheckInfo("SA201", "identifier-unknown", "warning", "a backticked name or path is not in the repo"),
    CheckInfo("SA301", "section-empty", "warning", "a section is empty and no open question names it"),
    CheckInfo("SA302", "section-deferred", "info", "a section is empty; an open question names it"),
    CheckInfo("SA401", "smell-vague", "warning", "vague term"),
    CheckInfo("SA402", "smell-subjective", "warning", "subjective term"),
    CheckInfo("SA403", "smell-comparative", "warning", "comparative or superlative, no reference"),
    CheckInfo("SA404", "smell-loophole", "warning", "loophole ('if possible', 'as appropriate')"),
    CheckInfo("SA405", "smell-open-ended", "warning", "open-ended list ('etc.', 'such as')"),
    CheckInfo("SA406", "smell-non-verifiable", "warning", "quality with no measurable criterion"),
    CheckInfo("SA407", "smell-compound", "warning", "more than one requirement in a sentence"),
    CheckInfo("SA408", "smell-passive", "info", "passive voice without an actor"),
    CheckInfo("SA409", "smell-pronoun", "warning", "unclear pronoun as subject"),
    CheckInfo("SA410", "smell-negative", "info", "negation the reader must invert or cannot test"),
    CheckInfo("SA501", "ears-nonconforming", "info", "requirement not in an EARS pattern"),
    CheckInfo("SA601", "requirement-duplicate", "warning", "two requirements say the same"),
    CheckInfo("SA602", "requirement-near-duplicate", "info", "two requirements nearly the same"),
    CheckInfo("SA701", "metric-no-baseline", "info", "a metric has no baseline"),
    CheckInfo("SA702", "metric-no-target", "warning", "a metric has no target"),
    CheckInfo("SA703", "metric-target-unmeasurable", "warning", "a metric's target has no number"),
]
CHECKS: dict[str, CheckInfo] = {c.code: c for c in _CATALOGUE}
SMELL_CODES: dict[str, str] = {
    "vague": "SA401",
    "subjective": "SA402",
    "comparative": "SA403",
    "loophole": "SA404",
    "open_ended": "SA405",
    "non_verifiable": "SA406",
    "compound": "SA407",
    "passive": "SA408",
    "pronoun": "SA409",
    "negative": "SA410",
}


class Finding(BaseModel):
    """One problem in a spec."""

    code: str
    name: str
    severity: Severity
    message: str
    item_id: str | None = None
    line: int | None = Field(default=None, description="1-based line in the spec file.")

    def title(self) -> str:
        """``SA101 citation-unresolved``."""
        return f"{self.code} {self.name}"

    def text(self) -> str:
        """One line: ``FR-001: <message> [SA101 citation-unresolved]``."""
        who = f"{self.item_id}: " if self.item_id else ""
        return f"{who}{self.message} [{self.title()}]"


def finding(code: str, message: str, item_id: str | None = None, line: int | None = None) -> Finding:
    """A finding of catalogue entry ``code``, with its default severity."""
    info = CHECKS[code]
    return Finding(
        code=code,
        name=info.name,
        severity=info.severity,
        message=message,
        item_id=item_id,
        line=line,
    )


class Scores(BaseModel):
    """Ratios the eval suite reports, computed by the same checks ``specagent check`` runs."""

    citations: int = 0
    citations_resolved: int = 0
    identifiers: int = 0
    identifiers_found: int = 0
    statements: int = 0
    statements_smelly: int = 0
    sections: int = 0
    sections_complete: int = 0
    sections_filled: int = 0

    @property
    def citation_rate(self) -> float:
        return self.citations_resolved / self.citations if self.citations else 1.0

    @property
    def truthfulness(self) -> float:
        return self.identifiers_found / self.identifiers if self.identifiers else 1.0

    @property
    def smell_rate(self) -> float:
        return self.statements_smelly / self.statements if self.statements else 0.0

    @property
    def completeness(self) -> float:
        return self.sections_complete / self.sections if self.sections else 1.0

    @property
    def filled(self) -> float:
        return self.sections_filled / self.sections if self.sections else 1.0


class CheckReport(BaseModel):
    """Every finding on one spec, and the scores behind them."""

    spec_path: str = ""
    repo: str = ""
    findings: list[Finding] = Field(default_factory=list)
    scores: Scores = Field(default_factory=Scores)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, fail_on: Literal["error", "warning", "never"]) -> bool:
        """Whether a finding at or above ``fail_on`` exists."""
        if fail_on == "never":
            return False
        floor = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= floor for f in self.findings)
