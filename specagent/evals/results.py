"""What an eval run produces: the scores of each prototype, the regressions, the report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from specagent.quality.coverage import CategoryCounts


class PrototypeScore(BaseModel):
    """Scores of one drafted prototype."""

    name: str
    set: str = "corpus"
    files: int = 0
    lines: int = 0
    gold_facts: int = 0
    coverage: float = 0.0
    coverage_spread: float = 0.0
    coverage_loose: float = 0.0
    truthfulness: float = 1.0
    citation_rate: float = 1.0
    smell_rate: float = 0.0
    completeness: float = 0.0
    filled: float = 0.0
    words: int = 0
    words_per_kloc: float = 0.0
    seconds: float = 0.0
    drafter: str = ""
    calls: int = 0
    tokens: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cached_calls: int = 0
    dropped: int = 0
    demoted: int = 0
    # raw counts, so totals can be micro-averaged
    covered: int = 0
    spread_covered: int = 0
    loose_covered: int = 0
    citations: int = 0
    citations_resolved: int = 0
    identifiers: int = 0
    identifiers_found: int = 0
    statements: int = 0
    statements_smelly: int = 0
    errors: int = 0
    warnings: int = 0
    missed: list[str] = Field(default_factory=list)
    categories: dict[str, CategoryCounts] = Field(default_factory=dict)
    items_per_section: dict[str, int] = Field(default_factory=dict)
    extra: dict[str, float] = Field(default_factory=dict)


class Regression(BaseModel):
    """A score that fell beyond its tolerance."""

    scope: str  # prototype name, "totals" or "smells"
    metric: str
    baseline: float | None
    current: float | None
    tolerance: float

    def text(self) -> str:
        if self.current is None:
            return f"{self.scope}: missing (baseline has it)"
        return (
            f"{self.scope}: {self.metric} {self.current:.4g} vs baseline {self.baseline:.4g} "
            f"(tolerance {self.tolerance:g})"
        )


class EvalReport(BaseModel):
    """What ``specagent eval`` produced."""

    drafter: str = "offline"
    corpus: str = ""
    prototypes: list[PrototypeScore] = Field(default_factory=list)
    totals: dict[str, float | int] = Field(default_factory=dict)
    set_totals: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    categories: dict[str, dict[str, CategoryCounts]] = Field(default_factory=dict)
    regressions: list[Regression] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
